#include "support/slapd_server.h"

#include <ldap.h>

#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace fs = std::filesystem;

namespace slate::test {
namespace {

int free_port() {
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
        close(fd);
        throw std::runtime_error("no free port for slapd");
    }
    close(fd);
    return ntohs(address.sin_port);
}

/// A connection bound as the directory's administrator.
struct AdminConnection {
    LDAP* ld = nullptr;
    explicit AdminConnection(int port) {
        const std::string uri = "ldap://127.0.0.1:" + std::to_string(port);
        if (ldap_initialize(&ld, uri.c_str()) != LDAP_SUCCESS)
            throw std::runtime_error("ldap_initialize failed");
        const int version = LDAP_VERSION3;
        ldap_set_option(ld, LDAP_OPT_PROTOCOL_VERSION, &version);
        std::string password = SlapdServer::admin_password;
        berval credentials{static_cast<ber_len_t>(password.size()), password.data()};
        const int rc =
            ldap_sasl_bind_s(ld, SlapdServer::admin_dn, LDAP_SASL_SIMPLE, &credentials, nullptr, nullptr, nullptr);
        if (rc != LDAP_SUCCESS) {
            ldap_unbind_ext_s(ld, nullptr, nullptr);
            ld = nullptr;
            throw std::runtime_error(std::string("slapd bind: ") + ldap_err2string(rc));
        }
    }
    ~AdminConnection() {
        if (ld)
            ldap_unbind_ext_s(ld, nullptr, nullptr);
    }
};

/// LDAPMod structures over `attributes` (kept alive by the object).
struct Modifications {
    LdapAttributes attributes; ///< a copy: the structures point into it
    std::vector<LDAPMod> mods;
    std::vector<std::vector<berval>> values;
    std::vector<std::vector<berval*>> pointers;
    std::vector<LDAPMod*> list;

    Modifications(const LdapAttributes& given, int operation) : attributes(given) {
        mods.resize(attributes.size());
        values.resize(attributes.size());
        pointers.resize(attributes.size());
        for (size_t i = 0; i < attributes.size(); ++i) {
            for (const auto& value : attributes[i].second)
                values[i].push_back(berval{static_cast<ber_len_t>(value.size()), const_cast<char*>(value.data())});
            for (auto& value : values[i])
                pointers[i].push_back(&value);
            pointers[i].push_back(nullptr);
            mods[i].mod_op = operation | LDAP_MOD_BVALUES;
            mods[i].mod_type = const_cast<char*>(attributes[i].first.c_str());
            mods[i].mod_bvalues = pointers[i].data();
        }
        for (auto& mod : mods)
            list.push_back(&mod);
        list.push_back(nullptr);
    }
};

} // namespace

SlapdServer::SlapdServer() {
    char pattern[] = "/tmp/slate-slapd-XXXXXX";
    m_folder = mkdtemp(pattern);
    fs::create_directories(fs::path(m_folder) / "db");
    m_port = free_port();
    const std::string conf = m_folder + "/slapd.conf";
    {
        std::ofstream out(conf);
        for (const char* schema : {"core", "cosine", "inetorgperson", "nis"})
            out << "include /etc/ldap/schema/" << schema << ".schema\n";
        out << "pidfile " << m_folder << "/slapd.pid\n"
            << "argsfile " << m_folder << "/slapd.args\n"
            << "modulepath /usr/lib/ldap\nmoduleload back_mdb\n"
            << "database mdb\nmaxsize 10485760\n"
            << "suffix \"dc=zou,dc=local\"\n"
            << "rootdn \"" << admin_dn << "\"\nrootpw " << admin_password << "\n"
            << "directory " << m_folder << "/db\n";
    }
    const std::string url = "ldap://127.0.0.1:" + std::to_string(m_port) + "/";
    std::vector<std::string> arguments = {"/usr/sbin/slapd", "-f", conf, "-h", url, "-d", "0"};
    std::vector<char*> argv;
    for (auto& argument : arguments)
        argv.push_back(argument.data());
    argv.push_back(nullptr);
    pid_t pid = 0;
    if (posix_spawn(&pid, argv[0], nullptr, nullptr, argv.data(), environ) != 0)
        throw std::runtime_error("slapd cannot be started: is Debian's slapd installed?");
    m_pid = pid;
    for (int attempt = 0;; ++attempt) {
        try {
            AdminConnection probe(m_port);
            break;
        } catch (const std::exception&) {
            if (attempt > 100) {
                stop();
                throw std::runtime_error("slapd did not start on " + url);
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
    }
    add("dc=zou,dc=local", {{"objectClass", {"dcObject", "organization"}}, {"dc", {"zou"}}, {"o", {"Zou"}}});
    add(people_dn, {{"objectClass", {"organizationalUnit"}}, {"ou", {"people"}}});
}

SlapdServer::~SlapdServer() {
    stop();
    std::error_code ignored;
    fs::remove_all(m_folder, ignored);
}

void SlapdServer::stop() {
    if (m_pid <= 0)
        return;
    kill(m_pid, SIGTERM);
    int status = 0;
    waitpid(m_pid, &status, 0);
    m_pid = 0;
}

void SlapdServer::add(const std::string& dn, const LdapAttributes& attributes) {
    AdminConnection admin(m_port);
    Modifications mods(attributes, LDAP_MOD_ADD);
    const int rc = ldap_add_ext_s(admin.ld, dn.c_str(), mods.list.data(), nullptr, nullptr);
    if (rc != LDAP_SUCCESS)
        throw std::runtime_error("cannot add " + dn + ": " + ldap_err2string(rc));
}

void SlapdServer::replace(const std::string& dn, const std::string& attribute, const std::vector<std::string>& values) {
    AdminConnection admin(m_port);
    Modifications mods({{attribute, values}}, LDAP_MOD_REPLACE);
    const int rc = ldap_modify_ext_s(admin.ld, dn.c_str(), mods.list.data(), nullptr, nullptr);
    if (rc != LDAP_SUCCESS)
        throw std::runtime_error("cannot modify " + dn + ": " + ldap_err2string(rc));
}

void SlapdServer::remove(const std::string& dn) {
    AdminConnection admin(m_port);
    const int rc = ldap_delete_ext_s(admin.ld, dn.c_str(), nullptr, nullptr);
    if (rc != LDAP_SUCCESS)
        throw std::runtime_error("cannot delete " + dn + ": " + ldap_err2string(rc));
}

} // namespace slate::test
