#pragma once
// api/smtp_mailer.h: the transport of engine::Mailer: mail over SMTP with Poco Net (MAIL_*
// settings), chat posts over HTTPS (api/chat_posts.h), both off the requests' threads.

#include "engine/mail.h"

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <variant>

namespace slate::engine {
struct Config;
}

namespace slate::api {

class SmtpMailer : public engine::Mailer {
public:
    explicit SmtpMailer(const engine::Config& config) : m_config(config) {}
    /// Sends what send_later queued before stopping.
    ~SmtpMailer() override;
    /// Connects, sends and quits; errors are logged. Nothing is sent when MAIL_ENABLED is off.
    void send(const engine::Mail& mail) override;
    /// Queues the mail for one background sender thread (started on first use), in order.
    void send_later(engine::Mail mail) override;
    /// Queues the chat post for the same thread.
    void post_later(engine::ChatPost post) override;

private:
    using Message = std::variant<engine::Mail, engine::ChatPost>;
    void queue(Message message);
    void deliver(const Message& message);
    void drain();

    const engine::Config& m_config;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::deque<Message> m_queue;
    bool m_stopping = false;
    std::thread m_sender;
};

} // namespace slate::api
