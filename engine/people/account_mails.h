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

/// The medium date-time Zou's Babel writes in `locale` ("Jul 12, 2022, 10:30:00 AM"), of a
/// wall-clock time "YYYY-MM-DD HH:MM:SS".
std::string medium_datetime(const std::string& locale, const std::string& wall_clock);

} // namespace slate::engine::services
