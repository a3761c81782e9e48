#include "engine/config.h"

#include "engine/error.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <thread>

extern char** environ;

namespace slate::engine {
namespace {

/// The items of a `separator`-separated setting, trimmed, empty ones dropped.
std::vector<std::string> split_list(const std::string& text, char separator) {
    std::vector<std::string> items;
    for (size_t start = 0; start < text.size();) {
        size_t end = text.find(separator, start);
        if (end == std::string::npos)
            end = text.size();
        std::string item = text.substr(start, end - start);
        item.erase(0, item.find_first_not_of(" \t"));
        item.erase(item.find_last_not_of(" \t") + 1);
        if (!item.empty())
            items.push_back(item);
        start = end + 1;
    }
    return items;
}

class Variables {
public:
    explicit Variables(const std::map<std::string, std::string>& values) : m_values(values) {}

    bool has(const std::string& name) const {
        auto it = m_values.find(name);
        return it != m_values.end() && !it->second.empty();
    }
    void text(const std::string& name, std::string& target) const {
        if (has(name))
            target = m_values.at(name);
    }
    template <typename Int>
    void integer(const std::string& name, Int& target) const {
        if (!has(name))
            return;
        const std::string& value = m_values.at(name);
        Int parsed{};
        auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), parsed);
        if (ec != std::errc() || end != value.data() + value.size())
            throw Error(ErrorKind::bad_request, name + " must be a whole number, not '" + value + "'");
        target = parsed;
    }
    void boolean(const std::string& name, bool& target) const {
        if (!has(name))
            return;
        std::string value = m_values.at(name);
        for (auto& c : value)
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        // Zou reads its flags with `os.getenv(...) in ["True", "true", "1"]`-like tests.
        target = value == "true" || value == "1" || value == "yes" || value == "on";
    }

private:
    const std::map<std::string, std::string>& m_values;
};

} // namespace

Config Config::from_variables(const std::map<std::string, std::string>& values) {
    Variables vars(values);
    Config c;
    vars.text("SLATE_DATA", c.data_dir);
    vars.integer("SLATE_HTTP_THREADS", c.http_threads);

    c.db.embedded = !vars.has("DB_HOST");
    vars.text("DB_HOST", c.db.host);
    vars.integer("DB_PORT", c.db.port);
    vars.text("DB_USERNAME", c.db.username);
    vars.text("DB_PASSWORD", c.db.password);
    vars.text("DB_DATABASE", c.db.database);
    int pool = 0, overflow = 0;
    vars.integer("DB_POOL_SIZE", pool);
    vars.integer("DB_MAX_OVERFLOW", overflow);
    if (pool + overflow > 0)
        c.db.pool_size = pool + overflow;

    c.secret_key_from_env = vars.has("SECRET_KEY");
    vars.text("SECRET_KEY", c.secret_key);
    int64_t days = 0;
    if (vars.has("JWT_ACCESS_TOKEN_EXPIRES")) {
        vars.integer("JWT_ACCESS_TOKEN_EXPIRES", days);
        c.jwt_access_seconds = days * 24 * 3600;
    }
    if (vars.has("JWT_REFRESH_TOKEN_EXPIRES")) {
        vars.integer("JWT_REFRESH_TOKEN_EXPIRES", days);
        c.jwt_refresh_seconds = days * 24 * 3600;
    }
    vars.boolean("JWT_COOKIE_SECURE", c.jwt_cookie_secure);
    vars.integer("BCRYPT_LOG_ROUNDS", c.bcrypt_rounds);
    if (c.bcrypt_rounds < 4 || c.bcrypt_rounds > 31)
        throw Error(ErrorKind::bad_request, "BCRYPT_LOG_ROUNDS must be between 4 and 31");
    vars.integer("MIN_PASSWORD_LENGTH", c.min_password_length);
    vars.integer("MAX_LOGIN_FAILED_ATTEMPS", c.max_login_failed_attempts);
    vars.integer("LOGIN_LOCKOUT_DELAY", c.login_lockout_seconds);
    vars.text("AUTH_STRATEGY", c.auth_strategy);
    vars.text("LDAP_HOST", c.ldap.host);
    vars.text("LDAP_PORT", c.ldap.port);
    vars.text("LDAP_BASE_DN", c.ldap.base_dn);
    vars.text("LDAP_GROUP", c.ldap.group);
    vars.text("LDAP_DOMAIN", c.ldap.domain);
    vars.boolean("LDAP_FALLBACK", c.ldap.fallback);
    vars.boolean("LDAP_IS_AD", c.ldap.is_ad);
    vars.boolean("LDAP_IS_AD_SIMPLE", c.ldap.is_ad_simple);
    vars.boolean("LDAP_SSL", c.ldap.ssl);
    vars.text("LDAP_USER", c.ldap.user);
    vars.text("LDAP_PASSWORD", c.ldap.password);
    vars.text("EMAIL_DOMAIN", c.ldap.email_domain);
    vars.text("LDAP_EXCLUDED_ACCOUNTS", c.ldap.excluded_accounts);

    vars.text("DEFAULT_TIMEZONE", c.default_timezone);
    vars.text("DEFAULT_LOCALE", c.default_locale);
    vars.boolean("IS_SELF_HOSTED", c.is_self_hosted);
    vars.text("CRISP_TOKEN", c.crisp_token);
    vars.boolean("DARK_THEME_BY_DEFAULT", c.dark_theme_by_default);
    vars.boolean("SAML_ENABLED", c.saml_enabled);
    vars.text("SAML_IDP_NAME", c.saml_idp_name);
    vars.text("SAML_METADATA_URL", c.saml_metadata_url);
    vars.boolean("SAML_SKIP_2FA", c.saml_skip_2fa);
    vars.boolean("OIDC_ENABLED", c.oidc_enabled);
    vars.text("OIDC_IDP_NAME", c.oidc_idp_name);
    vars.text("OIDC_DISCOVERY_URL", c.oidc.discovery_url);
    vars.text("OIDC_CLIENT_ID", c.oidc.client_id);
    vars.text("OIDC_CLIENT_SECRET", c.oidc.client_secret);
    vars.text("OIDC_SCOPES", c.oidc.scopes);
    vars.text("OIDC_EMAIL_CLAIM", c.oidc.email_claim);
    vars.text("OIDC_GIVEN_NAME_CLAIM", c.oidc.given_name_claim);
    vars.text("OIDC_FAMILY_NAME_CLAIM", c.oidc.family_name_claim);
    vars.boolean("OIDC_REQUIRE_EMAIL_VERIFIED", c.oidc.require_email_verified);
    vars.boolean("OIDC_SKIP_2FA", c.oidc.skip_2fa);
    vars.text("INDEXER_KEY", c.indexer_key);
    vars.text("ADMIN_TOKEN", c.admin_token);
    vars.text("JOB_QUEUE_NOMAD_HOST", c.nomad_host);
    vars.text("JOB_QUEUE_NOMAD_NORMALIZE_JOB", c.nomad_normalize_job);
    vars.text("JOB_QUEUE_NOMAD_PLAYLIST_JOB", c.nomad_playlist_job);
    vars.boolean("ENFORCE_2FA", c.enforce_2fa);
    std::string listed;
    vars.text("2FA_EXEMPT_USERS", listed);
    c.two_fa_exempt_users = split_list(listed, ',');
    listed.clear();
    vars.text("PROTECTED_ACCOUNTS", listed);
    c.protected_accounts = split_list(listed, ';');
    vars.boolean("DEBUG", c.debug);
    vars.integer("MAX_CONTENT_LENGTH", c.max_content_length);
    vars.integer("MAX_IMAGE_PIXELS", c.max_image_pixels);
    vars.integer("SLATE_MAX_JSON_BODY", c.max_json_body);
    vars.integer("USER_LIMIT", c.user_limit);
    for (auto [name, target] : {std::pair{"SLATE_HEAD_TIMEOUT", &c.head_timeout_ms},
                                std::pair{"SLATE_KEEP_ALIVE_TIMEOUT", &c.keep_alive_timeout_ms},
                                std::pair{"SLATE_IO_TIMEOUT", &c.io_timeout_ms}}) {
        int64_t seconds = *target / 1000;
        vars.integer(name, seconds);
        if (seconds <= 0)
            throw Error(ErrorKind::bad_request, std::string(name) + " must be a positive number of seconds");
        *target = seconds * 1000;
    }
    vars.integer("SLATE_MAX_CONNECTIONS_PER_ADDRESS", c.max_connections_per_address);
    vars.integer("EVENT_STREAM_PORT", c.event_stream_port);
    vars.integer("SLATE_EVENT_CLIENT_BACKLOG", c.event_client_backlog);
    vars.text("FS_BACKEND", c.fs_backend);
    if (c.fs_backend != "local")
        throw Error(ErrorKind::bad_request, "FS_BACKEND=" + c.fs_backend + " is not supported yet: use local");
    vars.text("THUMBNAIL_FOLDER", c.preview_folder); // Zou's older name
    vars.text("PREVIEW_FOLDER", c.preview_folder);
    vars.text("FS_ROOT", c.preview_folder); // Slate's explicit override
    vars.text("FS_BUCKET_PREFIX", c.fs_bucket_prefix);
    vars.boolean("REMOVE_FILES", c.remove_files);
    vars.boolean("PREVIEW_SAVE_SOURCE_FILE", c.preview_save_source_file);
    vars.boolean("SKIP_NORMALIZATION_FULL", c.skip_normalization_full);
    vars.boolean("SKIP_NORMALIZATION_HIGHDEF", c.skip_normalization_highdef);
    vars.integer("CLIENT_CACHE_MAX_AGE", c.client_cache_max_age);
    vars.text("OCIO", c.ocio_config);
    vars.text("PREVIEW_OCIO_DISPLAY", c.preview_ocio_display);
    vars.text("PREVIEW_OCIO_VIEW", c.preview_ocio_view);
    vars.text("PREVIEW_OCIO_INPUT_SPACE", c.preview_ocio_input_space);
    vars.text("PREVIEW_EXR_LAYER", c.preview_exr_layer);
    vars.boolean("MAIL_ENABLED", c.mail_enabled);
    vars.text("MAIL_SERVER", c.mail_server);
    vars.integer("MAIL_PORT", c.mail_port);
    vars.text("MAIL_USERNAME", c.mail_username);
    vars.text("MAIL_PASSWORD", c.mail_password);
    vars.text("MAIL_DEFAULT_SENDER", c.mail_default_sender);
    vars.text("DOMAIN_NAME", c.domain_name);
    vars.text("DOMAIN_PROTOCOL", c.domain_protocol);
    return c;
}

Config Config::from_environment() {
    std::map<std::string, std::string> values;
    for (char** entry = environ; entry && *entry; ++entry) {
        std::string_view text(*entry);
        auto eq = text.find('=');
        if (eq != std::string_view::npos)
            values.emplace(std::string(text.substr(0, eq)), std::string(text.substr(eq + 1)));
    }
    return from_variables(values);
}

std::string Config::file_store_root() const {
    return preview_folder.empty() ? data_dir + "/previews" : preview_folder;
}

int Config::effective_http_threads() const {
    if (http_threads > 0)
        return http_threads;
    // Requests mostly wait on PostgreSQL: several threads per core keep the cores busy.
    const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
    return static_cast<int>(std::max(8u, cores * 8));
}

} // namespace slate::engine
