#pragma once
// engine/mail.h: e-mail as the services see it. The SMTP transport lives in api/ (Poco Net
// stays out of the engine) and is handed to the services that send mail.

#include <string>

namespace slate::engine {

struct Mail {
    std::string to;
    std::string subject;
    std::string html;
    std::string text; ///< the plain-text alternative
};

/// Sends mail. Implementations must be thread-safe; a failure is logged, never thrown to the
/// client (Zou answers the same whether or not the mail went out).
class Mailer {
public:
    virtual ~Mailer() = default;
    virtual void send(const Mail& mail) = 0;
};

} // namespace slate::engine
