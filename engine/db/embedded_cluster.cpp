#include "engine/db/embedded_cluster.h"

#include "engine/log.h"

#include <Poco/SHA1Engine.h>

#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <vector>

namespace fs = std::filesystem;

namespace slate::engine::db {
namespace {

constexpr int socket_port = 5432; // only names the socket file; no TCP port is opened
constexpr const char* superuser = "postgres";

/// PostgreSQL refuses to run as root. When Slate runs as root, the cluster belongs to the
/// `postgres` system account that Debian's package creates.
struct ClusterOwner {
    bool switch_user = false;
    uid_t uid = 0;
    gid_t gid = 0;
};

ClusterOwner cluster_owner() {
    ClusterOwner owner;
    if (geteuid() != 0)
        return owner;
    const passwd* account = getpwnam("postgres");
    if (!account)
        throw Error(ErrorKind::unavailable, "running as root needs the 'postgres' system account (Debian's postgresql "
                                            "package) to own the embedded database");
    owner.switch_user = true;
    owner.uid = account->pw_uid;
    owner.gid = account->pw_gid;
    return owner;
}

struct CommandResult {
    int exit_code = -1;
    std::string output;
};

/// Runs a program as the cluster owner, capturing stdout and stderr. In its own session, so
/// that a Ctrl-C in Slate's terminal does not reach the database: Slate stops it itself.
CommandResult run(const std::vector<std::string>& argv, const ClusterOwner& owner) {
    int pipe_fds[2];
    if (pipe(pipe_fds) != 0)
        throw Error(ErrorKind::internal, "pipe() failed");
    const pid_t pid = fork();
    if (pid < 0)
        throw Error(ErrorKind::internal, "fork() failed");
    if (pid == 0) {
        setsid();
        dup2(pipe_fds[1], STDOUT_FILENO);
        dup2(pipe_fds[1], STDERR_FILENO);
        close(pipe_fds[0]);
        close(pipe_fds[1]);
        int devnull = open("/dev/null", O_RDONLY);
        if (devnull >= 0)
            dup2(devnull, STDIN_FILENO);
        if (owner.switch_user) {
            if (setgroups(0, nullptr) != 0 || setgid(owner.gid) != 0 || setuid(owner.uid) != 0)
                _exit(126);
        }
        std::vector<char*> args;
        for (const auto& a : argv)
            args.push_back(const_cast<char*>(a.c_str()));
        args.push_back(nullptr);
        execv(args[0], args.data());
        _exit(127);
    }
    close(pipe_fds[1]);
    CommandResult result;
    char buffer[4096];
    ssize_t n;
    while ((n = read(pipe_fds[0], buffer, sizeof buffer)) > 0)
        result.output.append(buffer, static_cast<std::size_t>(n));
    close(pipe_fds[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return result;
}

/// Whether the cluster owner can pass through `dir` (a root-only home is not passable); the
/// folders inside it that the cluster writes are handed to the owner.
bool reachable_by(const std::string& dir, const ClusterOwner& owner) {
    if (!owner.switch_user)
        return true;
    const pid_t pid = fork();
    if (pid == 0) {
        if (setgroups(0, nullptr) != 0 || setgid(owner.gid) != 0 || setuid(owner.uid) != 0)
            _exit(2);
        _exit(access(dir.c_str(), X_OK) == 0 ? 0 : 1);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

void make_owned_dir(const std::string& dir, const ClusterOwner& owner) {
    fs::create_directories(dir);
    if (owner.switch_user && chown(dir.c_str(), owner.uid, owner.gid) != 0)
        throw Error(ErrorKind::unavailable, "cannot hand " + dir + " to the postgres account");
    chmod(dir.c_str(), 0700);
}

/// Serialises cluster start-up between slate processes sharing a data folder.
class FolderLock {
public:
    explicit FolderLock(const std::string& path) {
        m_fd = open(path.c_str(), O_CREAT | O_RDWR, 0600);
        if (m_fd >= 0)
            flock(m_fd, LOCK_EX);
    }
    ~FolderLock() {
        if (m_fd >= 0) {
            flock(m_fd, LOCK_UN);
            close(m_fd);
        }
    }

private:
    int m_fd = -1;
};

std::string trimmed(std::string text) {
    while (!text.empty() && (text.back() == '\n' || text.back() == ' '))
        text.pop_back();
    return text;
}

} // namespace

std::string EmbeddedCluster::default_bin_dir() {
    return "/usr/lib/postgresql/15/bin";
}

EmbeddedCluster::EmbeddedCluster(std::string data_dir, std::string pg_bin_dir)
    : m_data_dir(fs::absolute(data_dir).lexically_normal().string()), m_pg_bin_dir(std::move(pg_bin_dir)) {
    locate();
}

EmbeddedCluster::~EmbeddedCluster() {
    try {
        stop();
    } catch (const std::exception& e) {
        log::error(std::string("stopping the embedded database failed: ") + e.what());
    }
}

std::string EmbeddedCluster::pg_bin(const std::string& tool) const {
    return m_pg_bin_dir + "/" + tool;
}

// The cluster normally sits in <data>/postgres. When Slate runs as root from a folder the
// postgres account cannot enter (a clone under /root), it sits in /var/lib/slate instead,
// under a name derived from the data folder, so each data folder keeps its own cluster.
void EmbeddedCluster::locate() {
    const ClusterOwner owner = cluster_owner();
    fs::create_directories(m_data_dir);
    std::string base = m_data_dir;
    if (!reachable_by(m_data_dir, owner)) {
        Poco::SHA1Engine sha;
        sha.update(m_data_dir);
        base = "/var/lib/slate/clusters/" + Poco::DigestEngine::digestToHex(sha.digest()).substr(0, 16);
        fs::create_directories(base);
        chmod("/var/lib/slate", 0755);
        chmod("/var/lib/slate/clusters", 0755);
        if (owner.switch_user && chown(base.c_str(), owner.uid, owner.gid) != 0)
            throw Error(ErrorKind::unavailable, "cannot hand " + base + " to the postgres account");
    }
    m_cluster_dir = base + "/postgres";
    m_socket_dir = base + "/run";
}

bool EmbeddedCluster::running() const {
    if (!fs::exists(m_cluster_dir + "/PG_VERSION"))
        return false;
    const auto status = run({pg_bin("pg_ctl"), "status", "-D", m_cluster_dir}, cluster_owner());
    return status.exit_code == 0;
}

void EmbeddedCluster::start() {
    if (!fs::exists(pg_bin("initdb")))
        throw Error(ErrorKind::unavailable, "PostgreSQL 15 is not installed (" + pg_bin("initdb") +
                                                " is missing): apt-get install postgresql-15, or set DB_HOST");
    const ClusterOwner owner = cluster_owner();
    FolderLock lock(m_data_dir + "/.cluster.lock");
    make_owned_dir(m_socket_dir, owner);
    if (!fs::exists(m_cluster_dir + "/PG_VERSION")) {
        make_owned_dir(m_cluster_dir, owner);
        log::info("creating the embedded PostgreSQL cluster in " + m_cluster_dir);
        const auto init = run({pg_bin("initdb"), "-D", m_cluster_dir, "-U", superuser, "--auth=trust", "-E", "UTF8",
                               "--locale=C.UTF-8", "--no-sync"},
                              owner);
        if (init.exit_code != 0)
            throw Error(ErrorKind::unavailable, "initdb failed: " + trimmed(init.output));
    }
    if (running()) {
        log::info("the embedded PostgreSQL cluster is already running; sharing it");
        return;
    }
    const std::string options = "-c listen_addresses='' -c unix_socket_directories='" + m_socket_dir + "' -p " +
                                std::to_string(socket_port) + " -c max_connections=200";
    const auto started = run({pg_bin("pg_ctl"), "start", "-w", "-t", "60", "-D", m_cluster_dir, "-l",
                              m_cluster_dir + "/server.log", "-o", options},
                             owner);
    if (started.exit_code != 0) {
        std::string log_tail;
        std::ifstream server_log(m_cluster_dir + "/server.log");
        std::string line;
        while (std::getline(server_log, line))
            log_tail = line;
        throw Error(ErrorKind::unavailable,
                    "the embedded PostgreSQL did not start: " + trimmed(started.output) + " " + log_tail);
    }
    m_started_here = true;
    log::info("embedded PostgreSQL started (socket in " + m_socket_dir + ")");
}

void EmbeddedCluster::stop() {
    if (!m_started_here)
        return;
    m_started_here = false;
    stop_any();
}

void EmbeddedCluster::stop_any() {
    if (!running())
        return;
    const auto stopped = run({pg_bin("pg_ctl"), "stop", "-w", "-m", "fast", "-D", m_cluster_dir}, cluster_owner());
    if (stopped.exit_code != 0)
        throw Error(ErrorKind::unavailable, "pg_ctl stop failed: " + trimmed(stopped.output));
    log::info("embedded PostgreSQL stopped");
}

ConnectionSettings EmbeddedCluster::settings(const std::string& database) const {
    ConnectionSettings settings;
    settings.host = m_socket_dir;
    settings.port = socket_port;
    settings.user = superuser;
    settings.database = database;
    return settings;
}

void EmbeddedCluster::ensure_database(const std::string& database) {
    Connection admin(settings("postgres"));
    auto found = admin.exec("SELECT 1 FROM pg_database WHERE datname = $1", {database});
    if (found.rows() == 0) {
        admin.exec("CREATE DATABASE " + quote_identifier(database));
        log::info("created database " + database);
    }
}

} // namespace slate::engine::db
