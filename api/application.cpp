#include "api/application.h"

#include "api/server.h"
#include "api/smtp_mailer.h"
#include "engine/config.h"
#include "engine/crud/crud_service.h"
#include "engine/db/pool.h"
#include "engine/people/auth_service.h"
#include "engine/people/password_reset.h"
#include "engine/storage/file_store.h"
#include "workers/media_jobs.h"
#include "workers/picture_variants.h"
#include "workers/still_images.h"

namespace slate::api {

struct Application::Impl {
    Impl(const engine::Config& config, const engine::db::ConnectionSettings& database,
         const ApplicationOptions& options)
        : pool(database, options.pool_size), auth(config, pool), crud(config, pool), mailer(config),
          password_reset(config, pool, mailer),
          files(config.file_store_root(), config.fs_bucket_prefix), services{config,         pool,   auth, crud,
                                                                             password_reset, mailer, files},
          server(services, options.host, options.port, options.http_threads) {
        workers::set_picture_pixel_limit(config.max_image_pixels);
        workers::set_still_settings(workers::StillSettings::from(config));
        // Media work runs on this pool, never on the HTTP threads; `slate worker` runs more.
        if (options.media_workers)
            media = std::make_unique<workers::WorkerPool>(
                database,
                workers::media_handlers(files, workers::MovieSettings::from(config),
                                        workers::PlaylistBuildSettings::from(config, mailer)),
                options.worker_options);
    }

    engine::db::Pool pool;
    engine::services::AuthService auth;
    engine::crud::CrudService crud;
    SmtpMailer mailer;
    engine::services::PasswordReset password_reset;
    engine::storage::LocalFileStore files;
    Services services;
    Server server;
    std::unique_ptr<workers::WorkerPool> media;
    bool running = false;
};

Application::Application(const engine::Config& config, const engine::db::ConnectionSettings& database,
                         ApplicationOptions options)
    : m_impl(std::make_unique<Impl>(config, database, options)) {}

Application::~Application() {
    stop();
}

void Application::start() {
    m_impl->pool.changes().start();
    if (m_impl->media)
        m_impl->media->start();
    m_impl->server.start();
    m_impl->running = true;
}

void Application::stop() {
    if (!m_impl->running)
        return;
    m_impl->server.stop();
    if (m_impl->media)
        m_impl->media->stop();
    m_impl->pool.changes().stop();
    m_impl->running = false;
}

int Application::port() const {
    return m_impl->server.port();
}

engine::db::Pool& Application::pool() {
    return m_impl->pool;
}

Services& Application::services() {
    return m_impl->services;
}

} // namespace slate::api
