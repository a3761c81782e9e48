#pragma once
// engine/directory/ldap_client.h: an LDAP directory (OpenLDAP or Active Directory) through
// OpenLDAP's client library: simple binds to check a person's password, and the searches
// of the directory sync.

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace slate::engine::directory {

/// Where the directory is: ldap://host:port, or ldaps:// with `ssl`.
struct LdapServer {
    std::string host;
    std::string port;
    bool ssl = false;
    std::chrono::seconds timeout{10};
    std::string uri() const;
};

enum class BindResult {
    accepted,            ///< the directory knows that identity with that password
    invalid_credentials, ///< result 49: wrong identity or password
    unreachable,         ///< no connection, or it timed out
    failed,              ///< any other answer (see the message)
};

struct BindOutcome {
    BindResult result = BindResult::failed;
    std::string message; ///< the library's text, for the log
};

/// A simple bind as `identity` (a DN, or DOMAIN\user for Active Directory) with `password`.
/// An empty password is refused here without asking the directory: LDAP would take it as an
/// anonymous bind, which proves nothing.
BindOutcome check_password(const LdapServer& server, const std::string& identity, const std::string& password);

/// An entry found by a search: its DN and the values of the attributes asked for (names as
/// the directory wrote them, compared without case by `values`).
struct LdapEntry {
    std::string dn;
    std::map<std::string, std::vector<std::string>> attributes;
    /// The values of `name` (any case); empty when the entry has none.
    const std::vector<std::string>& values(const std::string& name) const;
    /// The first value of `name`, or "".
    std::string first(const std::string& name) const;
};

/// A bound session, for searches. Throws DirectoryError when it cannot connect or bind.
class LdapSession {
public:
    LdapSession(const LdapServer& server, const std::string& identity, const std::string& password);
    ~LdapSession();
    LdapSession(const LdapSession&) = delete;
    LdapSession& operator=(const LdapSession&) = delete;

    /// Every entry under `base` (subtree) matching `filter`, with `attributes`.
    std::vector<LdapEntry> search(const std::string& base, const std::string& filter,
                                  const std::vector<std::string>& attributes);

private:
    struct Handle;
    std::unique_ptr<Handle> m_handle;
    std::chrono::seconds m_timeout;
};

class DirectoryError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// `value` escaped for use inside an LDAP filter (RFC 4515: *, (, ), \ and NUL).
std::string escape_filter_value(const std::string& value);

} // namespace slate::engine::directory
