#include "engine/people/password_reset.h"

#include "engine/uuid.h"

#include "engine/auth/password.h"
#include "engine/config.h"
#include "engine/db/pool.h"
#include "engine/error.h"
#include "engine/mail.h"
#include "engine/people/person_queries.h"

#include <Poco/URI.h>

#include <openssl/crypto.h>

namespace slate::engine::services {
namespace {

constexpr int64_t token_lifetime_seconds = 2 * 3600;

std::string query_escape(const std::string& text) {
    std::string escaped;
    Poco::URI::encode(text, "&=+?#/@:", escaped);
    return escaped;
}

} // namespace

std::string password_reset_url(const Config& config, const std::string& email, const std::string& token,
                               const std::string& type) {
    return config.domain_protocol + "://" + config.domain_name + "/reset-change-password?email=" +
           query_escape(email) + "&token=" + token + (type.empty() ? "" : "&type=" + type);
}

void PasswordReset::request(const std::string& email, const std::string& client_ip) {
    auto connection = m_pool.acquire();
    const auto person = queries::find_person_for_login(*connection, email);
    if (person.rows() == 0 || !person.get_bool(0, "active") || !person.optional(0, "email"))
        return;
    const std::string address = *person.optional(0, "email");
    const std::string token = auth::random_code(64); // Zou's generate_reset_token
    queries::store_reset_token(*connection, address, token, token_lifetime_seconds);
    const std::string url = password_reset_url(m_config, address, token);
    const auto organisation = queries::get_or_create_organisation(*connection);
    const std::string first_name(person.get(0, "first_name"));
    Mail mail;
    mail.to = address;
    mail.subject = std::string(organisation.get(0, "name")) + " - Kitsu: password recovery";
    mail.text = "Hello " + first_name + ",\n\nSomeone (IP address: " + (client_ip.empty() ? "unknown" : client_ip) +
                ") asked to reset your Kitsu password. To choose a new one, follow this link "
                "within two hours:\n\n" +
                url + "\n\nIf you did not ask for it, ignore this message: your password stays as it is.\n";
    mail.html = "<p>Hello " + html_escape(first_name) +
                ",</p><p>Someone (IP address: " + html_escape(client_ip.empty() ? "unknown" : client_ip) +
                ") asked to reset your Kitsu password. To choose a new one, follow this link "
                "within two hours:</p><p><a href=\"" +
                html_escape(url) + "\">" + html_escape(url) +
                "</a></p><p>If you did not ask for it, ignore this message: your password stays "
                "as it is.</p>";
    m_mailer.send(mail);
}

void PasswordReset::invite(const std::string& person_id) {
    auto connection = m_pool.acquire();
    if (!is_uuid(person_id))
        throw_not_found(not_found_message);
    const auto person =
        connection->exec("SELECT email, first_name, is_bot FROM person WHERE id = $1::uuid", {person_id});
    if (person.rows() == 0)
        throw_not_found(not_found_message);
    if (person.get_bool(0, "is_bot"))
        throw_forbidden();
    const std::string address = person.optional(0, "email").value_or("");
    const std::string token = auth::random_code(64);
    queries::store_reset_token(*connection, address, token, 7 * 24 * 3600);
    const std::string url = password_reset_url(m_config, address, token, "new");
    const std::string organisation(queries::get_or_create_organisation(*connection).get(0, "name"));
    const std::string first_name = person.optional(0, "first_name").value_or("");
    Mail mail;
    mail.to = address;
    mail.subject = "You are invited by " + organisation + " to join their Kitsu platform";
    mail.text = "Hello " + first_name + ",\n\nYou are invited by " + organisation +
                " to join their team on Kitsu.\nYour login is: " + address + "\nSet your password to continue:\n\n" +
                url + "\n";
    mail.html = "<p>Hello " + html_escape(first_name) + ",</p><p>You are invited by " + html_escape(organisation) +
                " to join their team on Kitsu.</p><p>Your login is: <strong>" + html_escape(address) +
                "</strong></p><p>Set your password to continue:</p><p class=\"cta\"><a class=\"button\" href=\"" +
                html_escape(url) + "\">Set your password</a></p>";
    m_mailer.send(mail);
}

void PasswordReset::apply(const std::string& email, const std::string& token, const std::string& password,
                          const std::string& confirmation) {
    auto connection = m_pool.acquire();
    const auto stored = queries::live_reset_token(*connection, email);
    if (!stored || stored->size() != token.size() || CRYPTO_memcmp(stored->data(), token.data(), token.size()) != 0)
        throw Error(ErrorKind::bad_request, "Wrong or expired token.");
    if (static_cast<int>(password.size()) < m_config.min_password_length)
        throw Error(ErrorKind::bad_request, "Password is too short.");
    if (password != confirmation)
        throw Error(ErrorKind::bad_request, "Confirmation password doesn't match.");
    const auto person = queries::find_person_for_login(*connection, email);
    if (person.rows() == 0)
        throw Error(ErrorKind::bad_request, "Wrong or expired token.");
    if (!person.get_bool(0, "active"))
        throw Error(ErrorKind::bad_request, "User is inactive.");
    db::Transaction tx(*connection);
    queries::set_password(*connection, std::string(person.get(0, "id")),
                          auth::hash_password(password, m_config.bcrypt_rounds));
    queries::delete_reset_token(*connection, email);
    tx.commit();
}

} // namespace slate::engine::services
