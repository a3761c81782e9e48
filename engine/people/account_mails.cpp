#include "engine/people/account_mails.h"

#include "engine/db/connection.h"
#include "engine/people/person_queries.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <utility>
#include <cstdio>

namespace slate::engine::services {
namespace {

struct Wording {
    const char* locale;
    const char* subject;
    const char* admin_subject;
    const char* title;
    const char* body;       ///< {first_name} {time_string} {person_IP}
    const char* admin_body; ///< the same placeholders
    const char* signature;  ///< {organisation_name}
};

// Zou's email_i18n.py strings for these mails.
const std::array<Wording, 8> wordings = {{
    {"en_US", "{organisation_name} - Kitsu: password changed", "{organisation_name} - Kitsu: password changed",
     "Password Changed",
     "<p>Hello {first_name},</p>\n\n<p>You have successfully changed your password at this date: {time_string}.</p>\n"
     "<p>Your IP when you have changed your password is: {person_IP}.</p>\n",
     "<p>Hello {first_name},</p>\n<p>Your password was changed at this date: {time_string}.</p>\n<p>The IP of the user "
     "who changed your password is: {person_IP}.</p>\n<p>If you don't know the person who changed the password, please "
     "contact our support team.</p>\n",
     "\n<p>Best regards,</p>\n\n<p>{organisation_name} Team</p>"},
    {"fr_FR", "{organisation_name} - Kitsu : mot de passe modifié",
     "{organisation_name} - Kitsu : mot de passe modifié par un administrateur", "Mot de passe modifié",
     "<p>Bonjour {first_name},</p>\n\n<p>Vous avez modifié votre mot de passe avec succès à la date : "
     "{time_string}.</p>\n"
     "<p>Votre adresse IP lors du changement est : {person_IP}.</p>\n",
     "<p>Bonjour {first_name},</p>\n<p>Votre mot de passe a été modifié à cette date : {time_string}.</p>\n<p>L'IP de "
     "la "
     "personne qui a modifié votre mot de passe est : {person_IP}.</p>\n<p>Si vous ne connaissez pas cette personne, "
     "veuillez contacter notre équipe de support.</p>\n",
     "\n<p>Cordialement,</p>\n\n<p>L'équipe {organisation_name}</p>"},
    {"es_ES", "{organisation_name} - Kitsu: contraseña cambiada",
     "{organisation_name} - Kitsu: contraseña cambiada por un administrador", "Contraseña cambiada",
     "<p>Hola {first_name},</p>\n\n<p>Has cambiado tu contraseña correctamente en esta fecha: "
     "{time_string}.</p>\n<p>Tu IP "
     "al cambiar la contraseña es: {person_IP}.</p>\n",
     "<p>Hola {first_name},</p>\n<p>Tu contraseña fue cambiada en esta fecha: {time_string}.</p>\n<p>La IP de la "
     "persona "
     "que cambió tu contraseña es: {person_IP}.</p>\n<p>Si no conoces a esta persona, por favor contacta a nuestro "
     "equipo "
     "de soporte.</p>\n",
     "\n<p>Saludos cordiales,</p>\n\n<p>El equipo de {organisation_name}</p>"},
    {"ja_JP", "{organisation_name} - Kitsu: パスワードを変更しました",
     "{organisation_name} - Kitsu: 管理者によりパスワードが変更されました", "パスワード変更完了",
     "<p>{first_name} 様</p>\n\n<p>パスワードを正常に変更しました。変更日時: {time_string}。</p>\n<p>変更時のIP: "
     "{person_IP}。</p>\n",
     "<p>{first_name} 様</p>\n<p>あなたのパスワードが次の日時に変更されました: "
     "{time_string}。</p>\n<p>パスワードを変更した人の"
     "IPアドレス: {person_IP}。</p>\n<p>心当たりがない場合は、サポートチームにご連絡ください。</p>\n",
     "\n<p>よろしくお願いいたします。</p>\n\n<p>{organisation_name} チーム</p>"},
    {"de_DE", "{organisation_name} - Kitsu: Passwort geändert",
     "{organisation_name} - Kitsu: Passwort von einem Administrator geändert", "Passwort geändert",
     "<p>Hallo {first_name},</p>\n\n<p>Sie haben Ihr Passwort erfolgreich am {time_string} geändert.</p>\n<p>Ihre IP "
     "bei "
     "der Änderung war: {person_IP}.</p>\n",
     "<p>Hallo {first_name},</p>\n<p>Ihr Passwort wurde zu diesem Zeitpunkt geändert: {time_string}.</p>\n<p>Die IP "
     "der "
     "Person, die Ihr Passwort geändert hat, ist: {person_IP}.</p>\n<p>Wenn Sie diese Person nicht kennen, "
     "kontaktieren "
     "Sie bitte unser Support-Team.</p>\n",
     "\n<p>Mit freundlichen Grüßen,</p>\n\n<p>{organisation_name} Team</p>"},
    {"nl_NL", "{organisation_name} - Kitsu: wachtwoord gewijzigd",
     "{organisation_name} - Kitsu: wachtwoord gewijzigd door een beheerder", "Wachtwoord gewijzigd",
     "<p>Hallo {first_name},</p>\n\n<p>U heeft uw wachtwoord succesvol gewijzigd op: {time_string}.</p>\n<p>Uw "
     "IP-adres "
     "bij de wijziging was: {person_IP}.</p>\n",
     "<p>Hallo {first_name},</p>\n<p>Uw wachtwoord is gewijzigd op: {time_string}.</p>\n<p>Het IP-adres van de persoon "
     "die uw wachtwoord heeft gewijzigd is: {person_IP}.</p>\n<p>Als u deze persoon niet kent, neem dan contact op met "
     "ons supportteam.</p>\n",
     "\n<p>Met vriendelijke groet,</p>\n\n<p>{organisation_name} Team</p>"},
    {"zh_CN", "{organisation_name} - Kitsu：密码已修改", "{organisation_name} - Kitsu：管理员已更改密码", "密码已修改",
     "<p>您好 {first_name}，</p>\n\n<p>您已成功于 {time_string} 修改密码。</p>\n<p>修改时的 IP：{person_IP}。</p>\n",
     "<p>您好 {first_name}，</p>\n<p>您的密码已于此日期更改：{time_string}。</p>\n<p>更改您密码的人的 IP 地址为："
     "{person_IP}。</p>\n<p>如果您不认识此人，请联系我们的支持团队。</p>\n",
     "\n<p>此致</p>\n\n<p>{organisation_name} 团队</p>"},
    {"pt_BR", "{organisation_name} - Kitsu: senha alterada",
     "{organisation_name} - Kitsu: senha alterada por um administrador", "Senha alterada",
     "<p>Olá {first_name},</p>\n\n<p>Você alterou sua senha com sucesso em: {time_string}.</p>\n<p>Seu IP ao alterar a "
     "senha foi: {person_IP}.</p>\n",
     "<p>Olá {first_name},</p>\n<p>Sua senha foi alterada nesta data: {time_string}.</p>\n<p>O IP da pessoa que "
     "alterou "
     "sua senha é: {person_IP}.</p>\n<p>Se você não conhece esta pessoa, entre em contato com nossa equipe de "
     "suporte.</p>\n",
     "\n<p>Atenciosamente,</p>\n\n<p>Equipe {organisation_name}</p>"},
}};

/// Zou's _normalize_locale: "fr-FR", "fr_fr", "fr" → fr_FR; unknown → en_US.
const Wording& wording_for(std::string locale) {
    for (auto& c : locale)
        if (c == '-')
            c = '_';
    const std::string language = locale.substr(0, locale.find('_'));
    std::string lowered_language;
    for (const char c : language)
        lowered_language.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    std::string region;
    if (const size_t underscore = locale.rfind('_'); underscore != std::string::npos && locale.size() - underscore == 3)
        for (const char c : locale.substr(underscore + 1))
            region.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
    for (const auto& wording : wordings)
        if (lowered_language + "_" + region == wording.locale)
            return wording;
    for (const auto& wording : wordings)
        if (std::string(wording.locale).substr(0, 2) == lowered_language)
            return wording;
    return wordings[0];
}

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
    for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
        text.replace(at, from.size(), to);
    return text;
}

std::string substitute(const std::string& text, const std::string& name, const std::string& value) {
    return replace_all(text, "{" + name + "}", value);
}

} // namespace

std::string medium_datetime(const std::string& locale, const std::string& wall_clock) {
    int year = 0, month = 1, day = 1, hour = 0, minute = 0, second = 0;
    std::sscanf(wall_clock.c_str(), "%d-%d-%d %d:%d:%d", &year, &month, &day, &hour, &minute, &second);
    month = std::clamp(month, 1, 12);
    char time[16], text[96];
    std::snprintf(time, sizeof time, "%02d:%02d:%02d", hour, minute, second);
    const std::string normalised = wording_for(locale).locale;
    static const char* english[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    static const char* french[] = {"janv.", "févr.", "mars",  "avr.", "mai",  "juin",
                                   "juil.", "août",  "sept.", "oct.", "nov.", "déc."};
    static const char* spanish[] = {"ene", "feb", "mar",  "abr", "may", "jun",
                                    "jul", "ago", "sept", "oct", "nov", "dic"};
    static const char* dutch[] = {"jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"};
    static const char* portuguese[] = {"jan.", "fev.", "mar.", "abr.", "mai.", "jun.",
                                       "jul.", "ago.", "set.", "out.", "nov.", "dez."};
    if (normalised == "fr_FR")
        std::snprintf(text, sizeof text, "%d %s %d, %s", day, french[month - 1], year, time);
    else if (normalised == "de_DE")
        std::snprintf(text, sizeof text, "%02d.%02d.%d, %s", day, month, year, time);
    else if (normalised == "es_ES")
        std::snprintf(text, sizeof text, "%d %s %d, %d:%02d:%02d", day, spanish[month - 1], year, hour, minute, second);
    else if (normalised == "ja_JP")
        std::snprintf(text, sizeof text, "%d/%02d/%02d %d:%02d:%02d", year, month, day, hour, minute, second);
    else if (normalised == "nl_NL")
        std::snprintf(text, sizeof text, "%d %s %d, %s", day, dutch[month - 1], year, time);
    else if (normalised == "zh_CN")
        std::snprintf(text, sizeof text, "%d年%d月%d日 %s", year, month, day, time);
    else if (normalised == "pt_BR")
        std::snprintf(text, sizeof text, "%d de %s de %d %s", day, portuguese[month - 1], year, time);
    else // en_US: "Jul 12, 2022, 10:30:00 AM" with CLDR's narrow no-break space before AM/PM
        std::snprintf(text, sizeof text, "%s %d, %d, %d:%02d:%02d\u202f%s", english[month - 1], day, year,
                      hour % 12 == 0 ? 12 : hour % 12, minute, second, hour < 12 ? "AM" : "PM");
    return text;
}

std::string mail_locale(const std::string& locale) {
    return wording_for(locale).locale;
}

std::string mail_signature(const std::string& locale, const std::string& organisation) {
    return substitute(wording_for(locale).signature, "organisation_name", html_escape(organisation));
}

Mail compose_mail(std::string to, std::string subject, const std::string& title, const std::string& body,
                  const std::string& signature) {
    Mail mail;
    mail.to = std::move(to);
    mail.subject = std::move(subject);
    mail.html = "<h1>" + html_escape(title) + "</h1>\n" + body + signature;
    // The text part: the HTML's paragraphs as lines, a link's address in brackets before its text.
    std::string text;
    bool in_tag = false;
    std::string tag;
    for (const char ch : body + signature) {
        if (ch == '<') {
            in_tag = true;
            tag.clear();
        } else if (ch == '>') {
            in_tag = false;
            if (const size_t href = tag.find("href=\""); tag.rfind("a ", 0) == 0 && href != std::string::npos)
                text += "[" + tag.substr(href + 6, tag.find('"', href + 6) - href - 6) + "] ";
        } else if (in_tag)
            tag.push_back(ch);
        else
            text.push_back(ch);
    }
    for (const auto& [entity, character] : {std::pair<const char*, const char*>{"&lt;", "<"},
                                            {"&gt;", ">"},
                                            {"&quot;", "\""},
                                            {"&#x27;", "'"},
                                            {"&amp;", "&"}})
        text = replace_all(text, entity, character);
    mail.text = text;
    return mail;
}

namespace {

/// An admin-action style mail to the person: `subject` and `body` (Zou's placeholders filled
/// here), under `title`, signed with `signature`.
Mail account_mail(db::Connection& c, const std::string& ip, const std::string& subject, const std::string& title,
                  std::string body, const std::string& signature_template, const std::string& locale,
                  const db::Result& person) {
    const std::string organisation(queries::get_or_create_organisation(c).get(0, "name"));
    const std::string first_name = person.optional(0, "first_name").value_or("");
    const std::string time_string = medium_datetime(locale, person.optional(0, "wall_clock").value_or(""));
    body = substitute(
        substitute(substitute(body, "first_name", html_escape(first_name)), "time_string", html_escape(time_string)),
        "person_IP", html_escape(ip));
    const std::string signature = substitute(signature_template, "organisation_name", html_escape(organisation));
    return compose_mail(person.optional(0, "email").value_or(""),
                        substitute(subject, "organisation_name", organisation), title, body, signature);
}

/// The person's address, names, locale and wall-clock time in their zone (PostgreSQL's time
/// zone database; UTC when the person's zone is not one it knows).
db::Result mail_person(db::Connection& c, const std::string& person_id) {
    return c.exec(R"(SELECT email, first_name, locale,
            to_char(now() AT TIME ZONE COALESCE((SELECT name FROM pg_timezone_names WHERE name = p.timezone), 'UTC'),
                    'YYYY-MM-DD HH24:MI:SS') AS wall_clock
        FROM person p WHERE id = $1::uuid)",
                  {person_id});
}

} // namespace

Mail password_changed_mail(db::Connection& c, const std::string& person_id, const std::string& ip, bool by_admin) {
    const auto person = mail_person(c, person_id);
    const std::string locale = person.optional(0, "locale").value_or("");
    const Wording& wording = wording_for(locale);
    return account_mail(c, ip, by_admin ? wording.admin_subject : wording.subject, wording.title,
                        by_admin ? wording.admin_body : wording.body, wording.signature, locale, person);
}

Mail two_factor_disabled_mail(db::Connection& c, const std::string& person_id, const std::string& ip) {
    const auto person = mail_person(c, person_id);
    // Zou's en_US strings (auth_2fa_disabled_by_admin_*); other locales are not carried yet.
    return account_mail(
        c, ip, "{organisation_name} - Kitsu: two factor authentication disabled",
        "Two Factor Authentication Disabled",
        "<p>Hello {first_name},</p>\n<p>Your two factor authentication was disabled at this date: {time_string}.</p>\n"
        "<p>The IP of the user who disabled your two factor authentication is: {person_IP}.</p>\n<p>If you don't know "
        "the person who disabled the two factor authentication, please contact our support team.</p>\n",
        wordings[0].signature, "en_US", person);
}

} // namespace slate::engine::services
