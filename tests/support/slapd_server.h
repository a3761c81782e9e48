#pragma once
// tests/support/slapd_server.h: a real OpenLDAP server (Debian's slapd) on a free port of
// 127.0.0.1, with a throw-away database under /tmp, for the directory tests. Stopped, by its
// PID, when the object goes.

#include <string>
#include <utility>
#include <vector>

namespace slate::test {

/// An entry's attributes: name → values (binary values are fine).
using LdapAttributes = std::vector<std::pair<std::string, std::vector<std::string>>>;

class SlapdServer {
public:
    /// Starts slapd with the suffix dc=zou,dc=local and ou=people under it.
    SlapdServer();
    ~SlapdServer();
    SlapdServer(const SlapdServer&) = delete;
    SlapdServer& operator=(const SlapdServer&) = delete;

    int port() const { return m_port; }
    static constexpr const char* admin_dn = "cn=admin,dc=zou,dc=local";
    static constexpr const char* admin_password = "slapd-test-secret";
    static constexpr const char* people_dn = "ou=people,dc=zou,dc=local";

    void add(const std::string& dn, const LdapAttributes& attributes);
    /// Replaces the values of one attribute (no values: removes it).
    void replace(const std::string& dn, const std::string& attribute, const std::vector<std::string>& values);
    void remove(const std::string& dn);
    /// Stops the server (logins then find no directory).
    void stop();

private:
    std::string m_folder;
    int m_port = 0;
    int m_pid = 0;
};

} // namespace slate::test
