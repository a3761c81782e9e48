#include "engine/directory/ldap_client.h"

#include <ldap.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <stdexcept>

namespace slate::engine::directory {
namespace {

bool same_name(const std::string& a, const std::string& b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

/// A connection handle set up for LDAPv3 with time limits; nullptr with `error` set on failure.
LDAP* connect(const LdapServer& server, std::string& error) {
    LDAP* ld = nullptr;
    const std::string uri = server.uri();
    const int rc = ldap_initialize(&ld, uri.c_str());
    if (rc != LDAP_SUCCESS || !ld) {
        error = std::string("cannot use ") + uri + ": " + ldap_err2string(rc);
        return nullptr;
    }
    const int version = LDAP_VERSION3;
    ldap_set_option(ld, LDAP_OPT_PROTOCOL_VERSION, &version);
    ldap_set_option(ld, LDAP_OPT_REFERRALS, LDAP_OPT_OFF);
    timeval timeout{static_cast<time_t>(server.timeout.count()), 0};
    ldap_set_option(ld, LDAP_OPT_NETWORK_TIMEOUT, &timeout);
    ldap_set_option(ld, LDAP_OPT_TIMEOUT, &timeout);
    return ld;
}

int simple_bind(LDAP* ld, const std::string& identity, const std::string& password) {
    berval credentials{static_cast<ber_len_t>(password.size()), const_cast<char*>(password.data())};
    return ldap_sasl_bind_s(ld, identity.c_str(), LDAP_SASL_SIMPLE, &credentials, nullptr, nullptr, nullptr);
}

bool unreachable(int rc) {
    return rc == LDAP_SERVER_DOWN || rc == LDAP_CONNECT_ERROR || rc == LDAP_TIMEOUT || rc == LDAP_UNAVAILABLE;
}

} // namespace

std::string LdapServer::uri() const {
    return std::string(ssl ? "ldaps://" : "ldap://") + host + ":" + port;
}

BindOutcome check_password(const LdapServer& server, const std::string& identity, const std::string& password) {
    BindOutcome outcome;
    if (password.empty()) {
        outcome.result = BindResult::invalid_credentials;
        outcome.message = "an empty password is never sent to the directory";
        return outcome;
    }
    std::string error;
    LDAP* ld = connect(server, error);
    if (!ld) {
        outcome.result = BindResult::unreachable;
        outcome.message = error;
        return outcome;
    }
    const int rc = simple_bind(ld, identity, password);
    ldap_unbind_ext_s(ld, nullptr, nullptr);
    outcome.message = ldap_err2string(rc);
    if (rc == LDAP_SUCCESS)
        outcome.result = BindResult::accepted;
    else if (rc == LDAP_INVALID_CREDENTIALS)
        outcome.result = BindResult::invalid_credentials;
    else if (unreachable(rc))
        outcome.result = BindResult::unreachable;
    else
        outcome.result = BindResult::failed;
    return outcome;
}

const std::vector<std::string>& LdapEntry::values(const std::string& name) const {
    static const std::vector<std::string> none;
    for (const auto& [attribute, list] : attributes)
        if (same_name(attribute, name))
            return list;
    return none;
}

std::string LdapEntry::first(const std::string& name) const {
    const auto& list = values(name);
    return list.empty() ? std::string() : list.front();
}

struct LdapSession::Handle {
    LDAP* ld = nullptr;
    ~Handle() {
        if (ld)
            ldap_unbind_ext_s(ld, nullptr, nullptr);
    }
};

LdapSession::LdapSession(const LdapServer& server, const std::string& identity, const std::string& password)
    : m_handle(std::make_unique<Handle>()), m_timeout(server.timeout) {
    std::string error;
    m_handle->ld = connect(server, error);
    if (!m_handle->ld)
        throw DirectoryError(error);
    const int rc = simple_bind(m_handle->ld, identity, password);
    if (rc != LDAP_SUCCESS)
        throw DirectoryError("cannot bind to " + server.uri() + " as " + identity + ": " + ldap_err2string(rc));
}

LdapSession::~LdapSession() = default;

std::vector<LdapEntry> LdapSession::search(const std::string& base, const std::string& filter,
                                           const std::vector<std::string>& attributes) {
    std::vector<char*> names;
    for (const auto& attribute : attributes)
        names.push_back(const_cast<char*>(attribute.c_str()));
    names.push_back(nullptr);
    timeval timeout{static_cast<time_t>(m_timeout.count() * 6), 0};
    LDAPMessage* answer = nullptr;
    const int rc = ldap_search_ext_s(m_handle->ld, base.c_str(), LDAP_SCOPE_SUBTREE, filter.c_str(), names.data(), 0,
                                     nullptr, nullptr, &timeout, LDAP_NO_LIMIT, &answer);
    std::unique_ptr<LDAPMessage, int (*)(LDAPMessage*)> owned(answer, ldap_msgfree);
    if (rc != LDAP_SUCCESS && rc != LDAP_SIZELIMIT_EXCEEDED)
        throw DirectoryError("the search of " + base + " for " + filter + " failed: " + ldap_err2string(rc));
    std::vector<LdapEntry> entries;
    for (LDAPMessage* entry = ldap_first_entry(m_handle->ld, answer); entry;
         entry = ldap_next_entry(m_handle->ld, entry)) {
        LdapEntry read;
        if (char* dn = ldap_get_dn(m_handle->ld, entry)) {
            read.dn = dn;
            ldap_memfree(dn);
        }
        BerElement* cursor = nullptr;
        for (char* attribute = ldap_first_attribute(m_handle->ld, entry, &cursor); attribute;
             attribute = ldap_next_attribute(m_handle->ld, entry, cursor)) {
            auto& values = read.attributes[attribute];
            if (berval** list = ldap_get_values_len(m_handle->ld, entry, attribute)) {
                for (berval** value = list; *value; ++value)
                    values.emplace_back((*value)->bv_val, (*value)->bv_len);
                ldap_value_free_len(list);
            }
            ldap_memfree(attribute);
        }
        if (cursor)
            ber_free(cursor, 0);
        entries.push_back(std::move(read));
    }
    return entries;
}

std::string escape_filter_value(const std::string& value) {
    std::string out;
    for (const char c : value) {
        if (c == '*' || c == '(' || c == ')' || c == '\\' || c == '\0') {
            char escaped[4];
            std::snprintf(escaped, sizeof escaped, "\\%02x", static_cast<unsigned char>(c));
            out += escaped;
        } else {
            out.push_back(c);
        }
    }
    return out;
}

} // namespace slate::engine::directory
