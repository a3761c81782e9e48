#include "support/smtp_sink.h"

#include <regex>

#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketStream.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/Net/TCPServer.h>
#include <Poco/Net/TCPServerConnection.h>
#include <Poco/Net/TCPServerConnectionFactory.h>

#include <chrono>
#include <mutex>
#include <thread>

namespace slate::test {

struct SmtpSink::Impl {
    mutable std::mutex mutex;
    std::vector<std::string> messages;
    std::unique_ptr<Poco::Net::TCPServer> server;
    int port = 0;
};

namespace {

/// One SMTP conversation: greet, accept any envelope, keep the DATA.
class Conversation : public Poco::Net::TCPServerConnection {
public:
    Conversation(const Poco::Net::StreamSocket& socket, SmtpSink::Impl& sink)
        : Poco::Net::TCPServerConnection(socket), m_sink(sink) {}

    void run() override {
        Poco::Net::SocketStream stream(socket());
        stream << "220 slate-test-sink ESMTP\r\n" << std::flush;
        std::string line;
        while (std::getline(stream, line)) {
            if (!line.empty() && line.back() == '\r')
                line.pop_back();
            std::string verb = line.substr(0, 4);
            for (auto& c : verb)
                c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
            if (verb == "EHLO" || verb == "HELO") {
                stream << "250 slate-test-sink\r\n" << std::flush;
            } else if (verb == "DATA") {
                stream << "354 end with <CRLF>.<CRLF>\r\n" << std::flush;
                std::string message;
                while (std::getline(stream, line)) {
                    if (line == ".\r" || line == ".")
                        break;
                    message += line + "\n";
                }
                {
                    std::lock_guard lock(m_sink.mutex);
                    m_sink.messages.push_back(message);
                }
                stream << "250 queued\r\n" << std::flush;
            } else if (verb == "QUIT") {
                stream << "221 bye\r\n" << std::flush;
                return;
            } else {
                stream << "250 ok\r\n" << std::flush;
            }
        }
    }

private:
    SmtpSink::Impl& m_sink;
};

class Factory : public Poco::Net::TCPServerConnectionFactory {
public:
    explicit Factory(SmtpSink::Impl& sink) : m_sink(sink) {}
    Poco::Net::TCPServerConnection* createConnection(const Poco::Net::StreamSocket& socket) override {
        return new Conversation(socket, m_sink); // adopted by Poco
    }

private:
    SmtpSink::Impl& m_sink;
};

} // namespace

SmtpSink::SmtpSink() : m_impl(std::make_unique<Impl>()) {
    Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0));
    m_impl->port = socket.address().port();
    m_impl->server = std::make_unique<Poco::Net::TCPServer>(new Factory(*m_impl), socket);
    m_impl->server->start();
}

SmtpSink::~SmtpSink() {
    m_impl->server->stop();
}

int SmtpSink::port() const {
    return m_impl->port;
}

std::vector<std::string> SmtpSink::messages() const {
    std::lock_guard lock(m_impl->mutex);
    return m_impl->messages;
}

bool SmtpSink::wait_for(std::size_t count, int seconds) const {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
    while (std::chrono::steady_clock::now() < deadline) {
        if (messages().size() >= count)
            return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return messages().size() >= count;
}

std::string quoted_printable_decode(const std::string& text) {
    const std::string joined = std::regex_replace(text, std::regex("=\r?\n"), "");
    std::string out;
    for (std::size_t i = 0; i < joined.size(); ++i) {
        if (joined[i] == '=' && i + 2 < joined.size() && std::isxdigit(joined[i + 1]) && std::isxdigit(joined[i + 2])) {
            out.push_back(static_cast<char>(std::stoi(joined.substr(i + 1, 2), nullptr, 16)));
            i += 2;
        } else {
            out.push_back(joined[i]);
        }
    }
    return out;
}

} // namespace slate::test
