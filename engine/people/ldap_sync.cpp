#include "engine/people/ldap_sync.h"

#include "engine/config.h"
#include "engine/db/connection.h"
#include "engine/directory/ldap_client.h"
#include "engine/json.h"
#include "engine/crud/queries.h"
#include "engine/people/person_queries.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <map>
#include <set>

namespace slate::engine::services {
namespace {

std::string lower(std::string text) {
    for (auto& c : text)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return text;
}

/// Zou's clean_value of a text attribute: its value, or the list of them written as Python
/// prints a list when there are several.
std::string joined(const std::vector<std::string>& values) {
    if (values.empty())
        return {};
    if (values.size() == 1)
        return values.front();
    std::string out = "[";
    for (size_t i = 0; i < values.size(); ++i)
        out += (i ? ", '" : "'") + values[i] + "'";
    return out + "]";
}

/// An AD objectGUID as ldap3 prints it: the UUID of its little-endian bytes, in braces.
std::string guid_text(const std::string& raw) {
    if (raw.size() != 16)
        return raw;
    static const int order[16] = {3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15};
    std::string out = "{";
    for (int i = 0; i < 16; ++i) {
        char hex[3];
        std::snprintf(hex, sizeof hex, "%02x", static_cast<unsigned char>(raw[static_cast<size_t>(order[i])]));
        out += hex;
        if (i == 3 || i == 5 || i == 7 || i == 9)
            out += '-';
    }
    return out + "}";
}

std::vector<std::string> split_commas(const std::string& text) {
    std::vector<std::string> parts;
    size_t start = 0;
    for (;;) {
        const size_t comma = text.find(',', start);
        parts.push_back(text.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
        if (comma == std::string::npos)
            return parts;
        start = comma + 1;
    }
}

/// A person a directory entry may be, as the sync found it.
struct KnownPerson {
    std::string id, first_name, last_name, email, desktop_login;
    bool active = false;
    std::optional<std::string> ldap_uid;
};

/// Every person but bots, read once, found by ldap_uid, desktop login, then address (Zou's
/// order; addresses without case).
class KnownPersons {
public:
    explicit KnownPersons(db::Connection& c) {
        const auto rows = c.exec(R"(SELECT id, first_name, last_name, email, desktop_login, active, ldap_uid
                                    FROM person WHERE is_bot IS NOT TRUE ORDER BY created_at)");
        m_all.reserve(static_cast<size_t>(rows.rows()));
        for (int row = 0; row < rows.rows(); ++row) {
            m_all.push_back({std::string(rows.get(row, "id")), rows.optional(row, "first_name").value_or(""),
                             rows.optional(row, "last_name").value_or(""), rows.optional(row, "email").value_or(""),
                             rows.optional(row, "desktop_login").value_or(""), rows.get_bool(row, "active"),
                             rows.optional(row, "ldap_uid")});
        }
        for (size_t index = 0; index < m_all.size(); ++index) {
            const KnownPerson& person = m_all[index];
            if (person.ldap_uid)
                m_by_uid.emplace(*person.ldap_uid, index);
            if (!person.desktop_login.empty())
                m_by_login.emplace(person.desktop_login, index);
            m_by_email.emplace(lower(person.email), index);
        }
    }

    const KnownPerson* match(const DirectoryPerson& entry) const {
        if (entry.ldap_uid)
            if (const auto found = m_by_uid.find(*entry.ldap_uid); found != m_by_uid.end())
                return &m_all[found->second];
        if (!entry.desktop_login.empty())
            if (const auto found = m_by_login.find(entry.desktop_login); found != m_by_login.end())
                return &m_all[found->second];
        for (const auto& address : entry.emails)
            if (const auto found = m_by_email.find(lower(address)); found != m_by_email.end())
                return &m_all[found->second];
        return nullptr;
    }

private:
    std::vector<KnownPerson> m_all;
    std::map<std::string, size_t> m_by_uid, m_by_login, m_by_email; // emplace keeps the first
};

} // namespace

std::vector<DirectoryPerson> read_directory_persons(const Config& config) {
    const auto& ldap = config.ldap;
    const directory::LdapServer server{ldap.host, ldap.port, ldap.ssl};
    std::string identity;
    if (ldap.is_ad_simple)
        identity = ldap.user;
    else if (ldap.is_ad)
        identity = ldap.domain + "\\" + ldap.user;
    else if (ldap.user.find('=') != std::string::npos)
        identity = ldap.user; // a full DN
    else
        identity = "uid=" + ldap.user + "," + ldap.base_dn;
    directory::LdapSession session(server, identity, ldap.password);

    const bool is_ad = ldap.is_ad || ldap.is_ad_simple;
    std::vector<std::string> attributes = {"givenName", "sn", "mail", "cn"};
    if (is_ad) {
        attributes.push_back(ldap.is_ad_simple ? "cn" : "sAMAccountName");
        for (const char* name : {"thumbnailPhoto", "userAccountControl", "objectGUID"})
            attributes.emplace_back(name);
    } else {
        for (const char* name : {"uid", "jpegPhoto", "uniqueIdentifier", "organizationalStatus"})
            attributes.emplace_back(name);
    }
    std::string filter = is_ad ? "(&(objectClass=person)(!(objectClass=computer)))" : "(objectClass=person)";
    std::optional<std::set<std::string>> members;
    if (!ldap.group.empty()) {
        if (is_ad) {
            filter = "(&(objectClass=person)(memberOf=" + directory::escape_filter_value(ldap.group) + "))";
        } else {
            const auto groups = session.search(
                ldap.base_dn,
                "(&(objectClass=groupOfUniqueNames)(cn=" + directory::escape_filter_value(ldap.group) + "))",
                {"uniqueMember"});
            if (groups.empty())
                throw directory::DirectoryError("the group " + ldap.group + " is not in the directory");
            const auto& listed = groups.front().values("uniqueMember");
            members = std::set<std::string>(listed.begin(), listed.end());
        }
    }
    const std::vector<std::string> excluded = split_commas(ldap.excluded_accounts);

    std::vector<DirectoryPerson> persons;
    for (const auto& entry : session.search(ldap.base_dn, filter, attributes)) {
        DirectoryPerson person;
        person.desktop_login = joined(entry.values(ldap.is_ad_simple ? "cn" : ldap.is_ad ? "sAMAccountName" : "uid"));
        // Zou's excluded list holds "" when empty: an entry without a login is never synced.
        if (std::find(excluded.begin(), excluded.end(), person.desktop_login) != excluded.end())
            continue;
        if (members && !members->count(entry.dn))
            continue;
        if (is_ad) {
            const std::string guid = entry.first("objectGUID");
            if (!guid.empty())
                person.ldap_uid = guid_text(guid);
            const std::string control = entry.first("userAccountControl");
            person.active = !control.empty() && (std::stoll(control) & 2) == 0;
            if (const std::string photo = entry.first("thumbnailPhoto"); !photo.empty())
                person.thumbnail = photo;
        } else {
            if (const std::string uid = joined(entry.values("uniqueIdentifier")); !uid.empty())
                person.ldap_uid = uid;
            person.active = lower(entry.first("organizationalStatus")) == "active";
            if (const std::string photo = entry.first("jpegPhoto"); !photo.empty())
                person.thumbnail = photo;
        }
        person.emails = entry.values("mail");
        if (person.emails.empty()) {
            person.emails.push_back(person.desktop_login + "@" + ldap.email_domain);
        } else {
            const auto rank = [&](const std::string& address) {
                return address == person.desktop_login                        ? -2
                       : address.find(ldap.email_domain) != std::string::npos ? -1
                                                                              : 0;
            };
            std::stable_sort(person.emails.begin(), person.emails.end(),
                             [&](const std::string& a, const std::string& b) { return rank(a) < rank(b); });
        }
        person.email = lower(person.emails.front());
        const auto given = entry.values("givenName");
        person.first_name = joined(given.empty() ? entry.values("cn") : given);
        person.last_name = joined(entry.values("sn"));
        persons.push_back(std::move(person));
    }
    return persons;
}

SyncReport sync_directory_persons(db::Connection& c, const Config& config, const std::vector<DirectoryPerson>& listed,
                                  const SaveAvatar& save_avatar) {
    SyncReport report;
    auto say = [&](std::string line) { report.lines.push_back(std::move(line)); };
    // Inactive entries first, as Zou orders them.
    std::vector<DirectoryPerson> persons = listed;
    std::stable_sort(persons.begin(), persons.end(),
                     [](const DirectoryPerson& a, const DirectoryPerson& b) { return !a.active && b.active; });

    const KnownPersons known(c);
    std::vector<std::pair<const KnownPerson*, const DirectoryPerson*>> to_update;
    std::vector<const DirectoryPerson*> to_create;
    for (const auto& person : persons) {
        if (const KnownPerson* found = known.match(person))
            to_update.emplace_back(found, &person);
        else
            to_create.push_back(&person);
    }

    // a) Persons made from the directory and no longer in it are disabled.
    std::set<std::string> matched;
    for (const auto& [current, person] : to_update)
        matched.insert(current->id);
    const auto made = c.exec("SELECT id, desktop_login FROM person WHERE is_generated_from_ldap AND active");
    for (int row = 0; row < made.rows(); ++row) {
        const std::string id(made.get(row, "id"));
        if (matched.count(id))
            continue;
        c.exec("UPDATE person SET active = false, updated_at = now() AT TIME ZONE 'utc' WHERE id = $1::uuid", {id});
        queries::insert_person_event(c, "person:update", id);
        say("User " + made.optional(row, "desktop_login").value_or("") + " disabled (not found in LDAP).");
        ++report.disabled;
    }

    // b) Known persons take the directory's fields when one differs.
    for (const auto& [current, person] : to_update) {
        const std::string& id = current->id;
        if (!current->active && person->active && queries::user_limit_reached(c, config.user_limit)) {
            say("User " + person->desktop_login + " update failed (limit reached, limit " +
                std::to_string(config.user_limit) + ").");
            ++report.failed;
        } else if (current->first_name != person->first_name || current->last_name != person->last_name ||
                   current->email != person->email || current->desktop_login != person->desktop_login ||
                   current->active != person->active || current->ldap_uid != person->ldap_uid) {
            try {
                db::Transaction transaction(c);
                c.exec(R"(UPDATE person SET email = $2, first_name = $3, last_name = $4, active = $5::boolean,
                              is_generated_from_ldap = true, desktop_login = $6, ldap_uid = $7,
                              updated_at = now() AT TIME ZONE 'utc' WHERE id = $1::uuid)",
                       {id, person->email, person->first_name, person->last_name,
                        std::string(person->active ? "true" : "false"), person->desktop_login, person->ldap_uid});
                queries::insert_person_event(c, "person:update", id);
                transaction.commit();
                say("User " + person->desktop_login + " updated.");
                ++report.updated;
            } catch (const std::exception&) {
                say("User " + person->desktop_login + " update failed (email duplicated?).");
                ++report.failed;
            }
        }
        if (person->thumbnail)
            save_avatar(id, *person->thumbnail);
    }

    // c) Active newcomers are created.
    for (const DirectoryPerson* person : to_create) {
        if (!person->active)
            continue;
        if (queries::user_limit_reached(c, config.user_limit)) {
            say("User " + person->desktop_login + " creation failed (limit reached, limit " +
                std::to_string(config.user_limit) + ").");
            ++report.failed;
            continue;
        }
        std::string id;
        try {
            db::Transaction transaction(c);
            queries::NewPerson fields;
            fields.email = person->email;
            fields.first_name = person->first_name;
            fields.last_name = person->last_name;
            fields.password_hash = "default"; // Zou's placeholder: no bcrypt hash, no local login
            fields.timezone = config.default_timezone;
            fields.locale = config.default_locale;
            id = queries::insert_person(c, fields);
            c.exec(R"(UPDATE person SET desktop_login = $2, is_generated_from_ldap = true, ldap_uid = $3
                      WHERE id = $1::uuid)",
                   {id, person->desktop_login, person->ldap_uid});
            queries::insert_person_event(c, "person:new", id);
            transaction.commit();
        } catch (const std::exception&) {
            say("User " + person->desktop_login + " creation failed (email duplicated?).");
            ++report.failed;
            continue;
        }
        say("User " + person->desktop_login + " created.");
        ++report.created;
        // Zou may save a photo on the previously created person; Slate keeps each on its own.
        if (person->thumbnail)
            save_avatar(id, *person->thumbnail);
    }
    return report;
}

} // namespace slate::engine::services
