#pragma once
// tests/support/smtp_sink.h: a real SMTP server on 127.0.0.1 that keeps the mails it is
// given, so tests read what Slate sent.

#include <memory>
#include <string>
#include <vector>

namespace slate::test {

class SmtpSink {
public:
    SmtpSink();  ///< listens on a free port
    ~SmtpSink(); ///< stops
    int port() const;
    /// Every message received so far (headers and body, as sent on the wire).
    std::vector<std::string> messages() const;
    /// Waits up to `seconds` for at least `count` messages.
    bool wait_for(std::size_t count, int seconds = 10) const;

    struct Impl; ///< shared with the connection handlers of the .cpp

private:
    std::unique_ptr<Impl> m_impl;
};

/// Undoes quoted-printable: soft line breaks and =XX escapes (a mail's body as written).
std::string quoted_printable_decode(const std::string& text);

} // namespace slate::test
