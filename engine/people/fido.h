#pragma once
// engine/people/fido.h: FIDO2/WebAuthn as Zou's second factor (auth_service's
// pre_register_fido, register_fido, unregister_fido, get_challenge_fido, check_fido).
// Credentials are kept in person.fido_credentials in Zou's form (numbers for the byte
// strings), so databases move between Zou and Slate; the pending challenge of each person is
// kept in slate_fido_state, good for one ceremony and five minutes.

#include "engine/fwd.h"

#include <Poco/JSON/Object.h>

#include <string>
#include <vector>

namespace slate::engine::services {

/// The relying party id: DOMAIN_NAME's host name; any origin is accepted while DOMAIN_NAME is
/// Zou's development default, localhost:8080.
struct FidoSettings {
    std::string rp_id;
    bool any_origin = false;
    static FidoSettings from(const Config& config);
};

/// PUT /auth/fido: creation options for a new authenticator of the person.
std::string pre_register_fido(db::Connection& c, const FidoSettings& settings, const std::string& person_id);

/// POST /auth/fido: checks the registration against the pending challenge and stores the
/// credential under `device_name`; turns FIDO on. Returns the recovery codes made now (none
/// when the person already had some). Throws 400 "No preregistration before." when no
/// ceremony is pending, 400 "FIDO server exception your registration response is probly
/// wrong." when it does not verify.
std::vector<std::string> register_fido(db::Connection& c, const Config& config, const FidoSettings& settings,
                                       const std::string& person_id, const Poco::JSON::Object& registration,
                                       const std::string& device_name);

/// GET /auth/fido?email=: request options for an active person with FIDO on; 400 "FIDO not
/// enabled." otherwise.
std::string fido_challenge(db::Connection& c, const FidoSettings& settings, const std::string& login);

/// Whether an assertion verifies against the person's pending challenge (spent by the check).
bool check_fido(db::Connection& c, const FidoSettings& settings, const std::string& person_id,
                const Poco::JSON::Object& assertion);

/// DELETE /auth/fido: forgets the first credential of that name; FIDO goes off with the last.
void unregister_fido(db::Connection& c, const std::string& person_id, const std::string& device_name);

} // namespace slate::engine::services
