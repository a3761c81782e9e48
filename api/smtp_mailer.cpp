#include "api/smtp_mailer.h"

#include "api/chat_posts.h"

#include "engine/config.h"
#include "engine/log.h"

#include <Poco/Net/MailMessage.h>
#include <Poco/Net/MailRecipient.h>
#include <Poco/Net/MultipartWriter.h>
#include <Poco/Net/SMTPClientSession.h>
#include <Poco/Net/StringPartSource.h>

namespace slate::api {

SmtpMailer::~SmtpMailer() {
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_all();
    if (m_sender.joinable())
        m_sender.join();
}

void SmtpMailer::send_later(engine::Mail mail) {
    if (m_config.mail_enabled)
        queue(std::move(mail));
}

void SmtpMailer::post_later(engine::ChatPost post) {
    queue(std::move(post)); // chats do not depend on MAIL_ENABLED, as in Zou
}

void SmtpMailer::queue(Message message) {
    std::unique_lock lock(m_mutex);
    if (m_stopping) { // the application is going down: sent here, as before the queue
        lock.unlock();
        return deliver(message);
    }
    m_queue.push_back(std::move(message));
    if (!m_sender.joinable())
        m_sender = std::thread([this] { drain(); });
    m_wake.notify_one();
}

void SmtpMailer::deliver(const Message& message) {
    if (const auto* mail = std::get_if<engine::Mail>(&message))
        send(*mail); // logs its own failures
    else
        post_to_chat(m_config, std::get<engine::ChatPost>(message));
}

void SmtpMailer::drain() {
    std::unique_lock lock(m_mutex);
    for (;;) {
        m_wake.wait(lock, [this] { return m_stopping || !m_queue.empty(); });
        if (m_queue.empty())
            return; // stopping, and everything queued went out
        Message message = std::move(m_queue.front());
        m_queue.pop_front();
        lock.unlock();
        deliver(message);
        lock.lock();
    }
}

void SmtpMailer::send(const engine::Mail& mail) {
    if (!m_config.mail_enabled)
        return;
    try {
        Poco::Net::MailMessage message;
        message.setContentType("multipart/alternative"); // the text and HTML forms of one mail
        message.setSender("Kitsu Bot <" + m_config.mail_default_sender + ">");
        message.addRecipient(Poco::Net::MailRecipient(Poco::Net::MailRecipient::PRIMARY_RECIPIENT, mail.to));
        message.setSubject(Poco::Net::MailMessage::encodeWord(mail.subject, "UTF-8"));
        message.addContent(new Poco::Net::StringPartSource(mail.text, "text/plain; charset=utf-8"),
                           Poco::Net::MailMessage::ENCODING_QUOTED_PRINTABLE);
        message.addContent(new Poco::Net::StringPartSource(mail.html, "text/html; charset=utf-8"),
                           Poco::Net::MailMessage::ENCODING_QUOTED_PRINTABLE);
        Poco::Net::SMTPClientSession session(m_config.mail_server, static_cast<Poco::UInt16>(m_config.mail_port));
        session.setTimeout(Poco::Timespan(10, 0));
        if (m_config.mail_username.empty())
            session.login();
        else
            session.login(Poco::Net::SMTPClientSession::AUTH_LOGIN, m_config.mail_username, m_config.mail_password);
        session.sendMessage(message);
        session.close();
    } catch (const Poco::Exception& e) {
        // As Zou: the request still succeeds; the failure is for the operators.
        log::error("sending mail (" + mail.subject + ") failed: " + e.displayText());
    }
}

} // namespace slate::api
