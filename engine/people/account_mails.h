#pragma once
// engine/people/account_mails.h: the "password changed" mails Zou sends after a person
// changes their password, or an admin changes it for them (email_i18n.py), in the person's
// locale, with the time in their time zone.

#include "engine/fwd.h"
#include "engine/mail.h"

#include <string>

namespace slate::engine::services {

/// The mail to a person whose password was just changed: by themselves (`by_admin` false,
/// `ip` the X-Forwarded-For they came with) or by an admin (`ip` the admin's). Locales Zou
/// translates: en_US, fr_FR, es_ES, ja_JP, de_DE, nl_NL, zh_CN, pt_BR (others: en_US).
Mail password_changed_mail(db::Connection& c, const std::string& person_id, const std::string& ip, bool by_admin);

/// The mail to a person whose second factors an admin turned off (`ip` the admin's).
Mail two_factor_disabled_mail(db::Connection& c, const std::string& person_id, const std::string& ip);

/// The locale Zou's mails are written in for a person's `locale` (_normalize_locale): one of
/// the eight above, en_US when unknown.
std::string mail_locale(const std::string& locale);

/// Zou's email signature in `locale` for the organisation (HTML, escaped).
std::string mail_signature(const std::string& locale, const std::string& organisation);

/// A mail of Zou's notification template: `title` as heading, then `body` and `signature`
/// (HTML); the text part is the same without tags (a link's address in brackets before its text).
Mail compose_mail(std::string to, std::string subject, const std::string& title, const std::string& body,
                  const std::string& signature);

/// The medium date-time Zou's Babel writes in `locale` ("Jul 12, 2022, 10:30:00 AM"), of a
/// wall-clock time "YYYY-MM-DD HH:MM:SS".
std::string medium_datetime(const std::string& locale, const std::string& wall_clock);

} // namespace slate::engine::services
