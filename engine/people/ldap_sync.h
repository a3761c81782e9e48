#pragma once
// engine/people/ldap_sync.h: `slate sync-with-ldap-server`, Zou's directory sync
// (zou/app/utils/commands.py): the persons of an OpenLDAP or Active Directory directory
// created, updated or disabled in Kitsu, their directory photos as avatars.

#include "engine/fwd.h"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace slate::engine::services {

/// A person as the directory describes them (Zou's user record).
struct DirectoryPerson {
    std::string first_name, last_name;
    std::string email;               ///< the chosen address, lower-cased
    std::vector<std::string> emails; ///< every address, in the order they are tried
    std::string desktop_login;
    std::optional<std::string> thumbnail; ///< the raw photo (JPEG as directories store it)
    bool active = false;
    std::optional<std::string> ldap_uid; ///< objectGUID (AD, "{…}") or uniqueIdentifier
};

/// Binds with LDAP_USER/LDAP_PASSWORD and reads the directory's persons as Zou does (its
/// filters, LDAP_GROUP membership, LDAP_EXCLUDED_ACCOUNTS, EMAIL_DOMAIN for addresses).
/// Throws directory::DirectoryError when the directory cannot be read.
std::vector<DirectoryPerson> read_directory_persons(const Config& config);

/// What the sync did, a line per person as Zou prints them.
struct SyncReport {
    std::vector<std::string> lines;
    int created = 0, updated = 0, disabled = 0, failed = 0;
};

/// Stores a person's directory photo as their avatar; answers false when it is no picture.
using SaveAvatar = std::function<bool(const std::string& person_id, const std::string& photo)>;

/// Applies the directory to the persons table: directory persons found (by ldap_uid, desktop
/// login, then e-mail) are updated when a field differs; persons made from the directory and
/// no longer in it are disabled; active newcomers are created (password "default", which no
/// local login accepts), within USER_LIMIT. Each change emits person:new / person:update.
SyncReport sync_directory_persons(db::Connection& c, const Config& config, const std::vector<DirectoryPerson>& persons,
                                  const SaveAvatar& save_avatar);

} // namespace slate::engine::services
