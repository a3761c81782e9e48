#pragma once
// engine/config.h: the settings, read once at start from the environment (Zou's variable
// names and defaults) and then from command-line flags. Passed down as const Config&.

#include <cstdint>
#include <string>
#include <vector>
#include <map>
#include <string>

namespace slate::engine {

struct DatabaseSettings {
    bool embedded = true; ///< no DB_HOST: a private cluster under the data folder
    std::string host = "localhost";
    int port = 5432;
    std::string username = "postgres";
    std::string password = "mysecretpassword";
    std::string database = "zoudb";
    int pool_size = 16; ///< DB_POOL_SIZE + DB_MAX_OVERFLOW in Zou's terms
};

struct Config {
    std::string data_dir = "var";   ///< SLATE_DATA or --data: embedded cluster, secret, files
    std::string host = "127.0.0.1"; ///< --host
    int port = 5000;                ///< --port
    int http_threads = 0;           ///< 0: derived from the machine
    DatabaseSettings db;

    std::string secret_key; ///< SECRET_KEY; embedded mode makes and keeps one
    bool secret_key_from_env = false;
    int64_t jwt_access_seconds = 7 * 24 * 3600;       ///< JWT_ACCESS_TOKEN_EXPIRES (days in Zou)
    int64_t jwt_refresh_seconds = 15 * 24 * 3600;     ///< JWT_REFRESH_TOKEN_EXPIRES (days)
    bool jwt_cookie_secure = false;                   ///< JWT_COOKIE_SECURE
    int bcrypt_rounds = 12;                           ///< BCRYPT_LOG_ROUNDS
    int min_password_length = 8;                      ///< MIN_PASSWORD_LENGTH
    int max_login_failed_attempts = 5;                ///< MAX_LOGIN_FAILED_ATTEMPS (sic)
    int64_t login_lockout_seconds = 60;               ///< LOGIN_LOCKOUT_DELAY
    std::string auth_strategy = "auth_local_classic"; ///< AUTH_STRATEGY

    /// The directory of AUTH_STRATEGY=auth_remote_ldap and `slate sync-with-ldap-server`.
    struct Ldap {
        std::string host = "127.0.0.1";                   ///< LDAP_HOST
        std::string port = "389";                         ///< LDAP_PORT
        std::string base_dn = "cn=Users,dc=zou,dc=local"; ///< LDAP_BASE_DN
        std::string group;                                ///< LDAP_GROUP
        std::string domain = "zou.local";                 ///< LDAP_DOMAIN (Active Directory)
        bool fallback = false;                            ///< LDAP_FALLBACK: local passwords too
        bool is_ad = false;                               ///< LDAP_IS_AD
        bool is_ad_simple = false;                        ///< LDAP_IS_AD_SIMPLE
        bool ssl = false;                                 ///< LDAP_SSL: ldaps://
        std::string user;                                 ///< LDAP_USER (the sync's account)
        std::string password = "password";                ///< LDAP_PASSWORD
        std::string email_domain = "studio.local";        ///< EMAIL_DOMAIN
        std::string excluded_accounts;                    ///< LDAP_EXCLUDED_ACCOUNTS (commas)
    } ldap;

    std::string default_timezone = "Europe/Paris"; ///< DEFAULT_TIMEZONE
    std::string default_locale = "en_US";          ///< DEFAULT_LOCALE
    bool is_self_hosted = true;                    ///< IS_SELF_HOSTED
    std::string crisp_token;                       ///< CRISP_TOKEN
    std::string admin_token;                       ///< ADMIN_TOKEN: the bearer of /admin/config/check
    std::string nomad_host = "zou-nomad-01.zou";   ///< JOB_QUEUE_NOMAD_HOST (reported by /admin/config/check)
    std::string nomad_normalize_job;               ///< JOB_QUEUE_NOMAD_NORMALIZE_JOB
    std::string nomad_playlist_job = "zou-playlist"; ///< JOB_QUEUE_NOMAD_PLAYLIST_JOB
    bool dark_theme_by_default = false;            ///< DARK_THEME_BY_DEFAULT
    bool saml_enabled = false;                     ///< SAML_ENABLED
    std::string saml_idp_name;                     ///< SAML_IDP_NAME
    std::string saml_metadata_url;                 ///< SAML_METADATA_URL: the identity provider's metadata
    bool saml_skip_2fa = false;                    ///< SAML_SKIP_2FA: no ENFORCE_2FA restriction
    bool oidc_enabled = false;                     ///< OIDC_ENABLED
    std::string oidc_idp_name;                     ///< OIDC_IDP_NAME
    /// The OpenID Connect provider of /auth/oidc/login (with OIDC_ENABLED).
    struct Oidc {
        std::string discovery_url;                     ///< OIDC_DISCOVERY_URL (…/.well-known/openid-configuration)
        std::string client_id;                         ///< OIDC_CLIENT_ID
        std::string client_secret;                     ///< OIDC_CLIENT_SECRET
        std::string scopes = "openid email profile";   ///< OIDC_SCOPES
        std::string email_claim = "email";             ///< OIDC_EMAIL_CLAIM
        std::string given_name_claim = "given_name";   ///< OIDC_GIVEN_NAME_CLAIM
        std::string family_name_claim = "family_name"; ///< OIDC_FAMILY_NAME_CLAIM
        bool require_email_verified = true;            ///< OIDC_REQUIRE_EMAIL_VERIFIED
        bool skip_2fa = false;                         ///< OIDC_SKIP_2FA: no ENFORCE_2FA restriction
    } oidc;
    std::string indexer_key;  ///< INDEXER_KEY: set means configured
    bool enforce_2fa = false; ///< ENFORCE_2FA
    std::vector<std::string> two_fa_exempt_users;
    /// PROTECTED_ACCOUNTS (";"-separated e-mails): no admin may change their passwords.
    std::vector<std::string> protected_accounts; ///< 2FA_EXEMPT_USERS: e-mails, comma-separated
    bool debug = false;                          ///< DEBUG

    bool mail_enabled = true;                                     ///< MAIL_ENABLED
    std::string mail_server = "localhost";                        ///< MAIL_SERVER
    int mail_port = 25;                                           ///< MAIL_PORT
    std::string mail_username;                                    ///< MAIL_USERNAME
    std::string mail_password;                                    ///< MAIL_PASSWORD
    std::string mail_default_sender = "no-reply@your-studio.com"; ///< MAIL_DEFAULT_SENDER
    std::string domain_name = "localhost:8080";                   ///< DOMAIN_NAME (links in mails)
    std::string domain_protocol = "https";                        ///< DOMAIN_PROTOCOL
    int64_t max_content_length = 10LL << 30;                      ///< MAX_CONTENT_LENGTH (bytes)
    /// SLATE_MAX_JSON_BODY: the largest body that is not an upload (JSON, form), read into
    /// memory; only multipart uploads, streamed to disk, may reach MAX_CONTENT_LENGTH.
    int64_t max_json_body = 8LL << 20;
    /// MAX_IMAGE_PIXELS: pictures above this many pixels are refused from their header,
    /// before any decoding (Pillow's limit, which Zou's image library applies: 2 × 89,478,485).
    int64_t max_image_pixels = 178956970;
    int user_limit = 100; ///< USER_LIMIT: active persons, bots aside

    /// The connection layer's limits (seconds in the environment, milliseconds here).
    int64_t head_timeout_ms = 10'000;       ///< SLATE_HEAD_TIMEOUT: a whole request head
    int64_t keep_alive_timeout_ms = 60'000; ///< SLATE_KEEP_ALIVE_TIMEOUT: idle between requests
    int64_t io_timeout_ms = 60'000;         ///< SLATE_IO_TIMEOUT: silence while a body or an answer moves
    /// SLATE_MAX_CONNECTIONS_PER_ADDRESS: connections one client address may hold (0: no cap).
    /// Behind a load balancer every client has its address: raise it, or set 0.
    int max_connections_per_address = 1024;
    /// EVENT_STREAM_PORT: the event stream's own port (as Zou's); it is also served on the main
    /// port under /socket.io. 0: only there.
    int event_stream_port = 5001;
    /// SLATE_EVENT_CLIENT_BACKLOG: bytes of events held for a stream client that does not read
    /// them; past it the client is disconnected (it catches up with /data/events/last).
    int64_t event_client_backlog = 4LL << 20;

    std::string fs_backend = "local";        ///< FS_BACKEND (only local so far)
    std::string preview_folder;              ///< PREVIEW_FOLDER (FS_ROOT overrides); empty: <data>/previews
    std::string fs_bucket_prefix;            ///< FS_BUCKET_PREFIX
    bool remove_files = false;               ///< REMOVE_FILES: deleting rows deletes files
    bool preview_save_source_file = false;   ///< PREVIEW_SAVE_SOURCE_FILE: keep raw movies
    bool skip_normalization_full = false;    ///< SKIP_NORMALIZATION_FULL: never transcode
    bool skip_normalization_highdef = false; ///< SKIP_NORMALIZATION_HIGHDEF: LD only
    int64_t client_cache_max_age = 604800;   ///< CLIENT_CACHE_MAX_AGE (seconds)
    std::string ocio_config;                 ///< OCIO: the OpenColorIO config stills are shown through
    std::string preview_ocio_display;        ///< PREVIEW_OCIO_DISPLAY (empty: the config's default)
    std::string preview_ocio_view;           ///< PREVIEW_OCIO_VIEW (empty: the display's default)
    std::string preview_ocio_input_space;    ///< PREVIEW_OCIO_INPUT_SPACE (empty: the file's, else a role)
    std::string preview_exr_layer;           ///< PREVIEW_EXR_LAYER: the EXR part or layer shown

    /// The file store's root: FS_ROOT, else PREVIEW_FOLDER, else <data>/previews.
    std::string file_store_root() const;

    /// Reads the process environment. Throws slate::Error(bad_request) naming the variable
    /// whose value cannot be used.
    static Config from_environment();
    /// Same, from an explicit map (tests).
    static Config from_variables(const std::map<std::string, std::string>& variables);

    /// Threads for the HTTP server: http_threads, or a number derived from the cores.
    int effective_http_threads() const;
};

} // namespace slate::engine
