#include "engine/people/notification_mails.h"
#include "engine/people/person_name.h"

#include "engine/config.h"
#include "engine/crud/values.h"
#include "engine/db/connection.h"
#include "engine/log.h"
#include "engine/people/account_mails.h"
#include "engine/people/entity_names.h"
#include "engine/people/person_queries.h"

#include <array>
#include <exception>
#include <map>

namespace slate::engine::people {
namespace {

struct Wording {
    const char* locale;
    const char* comment_subject;
    const char* comment_title;
    const char* comment_body_with_text;
    const char* comment_body_status_only;
    const char* mention_subject;
    const char* mention_title;
    const char* mention_body;
    const char* assignation_subject;
    const char* assignation_title;
    const char* assignation_body;
    const char* reply_subject;
    const char* reply_title;
    const char* reply_body;
};

// Zou's email_i18n.py strings for the notification mails.
const std::array<Wording, 8> wordings = {{
    {"en_US", "[Kitsu] {task_status_name} - {author_first_name} commented on {task_name}", "New Comment",
     "<p><strong>{author_full_name}</strong> wrote a comment on <a href=\"{task_url}\">{task_name}</a> and set the "
     "status to <strong>{task_status_name}</strong>.</p>\n\n<p><em>{comment_text}</em></p>\n",
     "<p><strong>{author_full_name}</strong> changed status of <a href=\"{task_url}\">{task_name}</a> to "
     "<strong>{task_status_name}</strong>.</p>\n",
     "[Kitsu] {author_first_name} mentioned you on {task_name}", "New Mention",
     "<p><strong>{author_full_name}</strong> mentioned you in a comment on <a "
     "href=\"{task_url}\">{task_name}</a>:</p>\n\n<p><em>{comment_text}</em></p>\n",
     "[Kitsu] You were assigned to {task_name}", "New Assignation",
     "<p><strong>{author_full_name}</strong> assigned you to <a href=\"{task_url}\">{task_name}</a>.</p>\n",
     "[Kitsu] {author_first_name} replied on {task_name}", "New Reply",
     "<p><strong>{author_full_name}</strong> wrote a reply on <a "
     "href=\"{task_url}\">{task_name}</a>.</p>\n\n<p><em>{reply_text}</em></p>\n"},
    {"fr_FR", "[Kitsu] {task_status_name} - {author_first_name} a commenté {task_name}", "Nouveau commentaire",
     "<p><strong>{author_full_name}</strong> a écrit un commentaire sur <a href=\"{task_url}\">{task_name}</a> et a "
     "défini le statut à <strong>{task_status_name}</strong>.</p>\n\n<p><em>{comment_text}</em></p>\n",
     "<p><strong>{author_full_name}</strong> a changé le statut de <a href=\"{task_url}\">{task_name}</a> en "
     "<strong>{task_status_name}</strong>.</p>\n",
     "[Kitsu] {author_first_name} vous a mentionné sur {task_name}", "Nouvelle mention",
     "<p><strong>{author_full_name}</strong> vous a mentionné dans un commentaire sur <a "
     "href=\"{task_url}\">{task_name}</a> :</p>\n\n<p><em>{comment_text}</em></p>\n",
     "[Kitsu] Vous avez été assigné à {task_name}", "Nouvelle assignation",
     "<p><strong>{author_full_name}</strong> vous a assigné à <a href=\"{task_url}\">{task_name}</a>.</p>\n",
     "[Kitsu] {author_first_name} a répondu sur {task_name}", "Nouvelle réponse",
     "<p><strong>{author_full_name}</strong> a répondu sur <a "
     "href=\"{task_url}\">{task_name}</a>.</p>\n\n<p><em>{reply_text}</em></p>\n"},
    {"es_ES", "[Kitsu] {task_status_name} - {author_first_name} comentó en {task_name}", "Nuevo comentario",
     "<p><strong>{author_full_name}</strong> escribió un comentario en <a href=\"{task_url}\">{task_name}</a> y "
     "estableció el estado en <strong>{task_status_name}</strong>.</p>\n\n<p><em>{comment_text}</em></p>\n",
     "<p><strong>{author_full_name}</strong> cambió el estado de <a href=\"{task_url}\">{task_name}</a> a "
     "<strong>{task_status_name}</strong>.</p>\n",
     "[Kitsu] {author_first_name} te mencionó en {task_name}", "Nueva mención",
     "<p><strong>{author_full_name}</strong> te mencionó en un comentario en <a "
     "href=\"{task_url}\">{task_name}</a>:</p>\n\n<p><em>{comment_text}</em></p>\n",
     "[Kitsu] Has sido asignado a {task_name}", "Nueva asignación",
     "<p><strong>{author_full_name}</strong> te asignó a <a href=\"{task_url}\">{task_name}</a>.</p>\n",
     "[Kitsu] {author_first_name} respondió en {task_name}", "Nueva respuesta",
     "<p><strong>{author_full_name}</strong> respondió en <a "
     "href=\"{task_url}\">{task_name}</a>.</p>\n\n<p><em>{reply_text}</em></p>\n"},
    {"ja_JP", "[Kitsu] {task_status_name} - {author_first_name} が {task_name} にコメントしました", "新しいコメント",
     "<p><strong>{author_full_name}</strong> が <a href=\"{task_url}\">{task_name}</a> にコメントし、ステータスを "
     "<strong>{task_status_name}</strong> に設定しました。</p>\n\n<p><em>{comment_text}</em></p>\n",
     "<p><strong>{author_full_name}</strong> が <a href=\"{task_url}\">{task_name}</a> のステータスを "
     "<strong>{task_status_name}</strong> に変更しました。</p>\n",
     "[Kitsu] {author_first_name} が {task_name} であなたをメンションしました", "新しいメンション",
     "<p><strong>{author_full_name}</strong> が <a href=\"{task_url}\">{task_name}</a> "
     "のコメントであなたをメンションしました：</p>\n\n<p><em>{comment_text}</em></p>\n",
     "[Kitsu] {task_name} にアサインされました", "新しいアサイン",
     "<p><strong>{author_full_name}</strong> があなたを <a href=\"{task_url}\">{task_name}</a> "
     "にアサインしました。</p>\n",
     "[Kitsu] {author_first_name} が {task_name} に返信しました", "新しい返信",
     "<p><strong>{author_full_name}</strong> が <a href=\"{task_url}\">{task_name}</a> "
     "に返信しました。</p>\n\n<p><em>{reply_text}</em></p>\n"},
    {"de_DE", "[Kitsu] {task_status_name} - {author_first_name} hat {task_name} kommentiert", "Neuer Kommentar",
     "<p><strong>{author_full_name}</strong> hat einen Kommentar zu <a href=\"{task_url}\">{task_name}</a> geschrieben "
     "und den Status auf <strong>{task_status_name}</strong> gesetzt.</p>\n\n<p><em>{comment_text}</em></p>\n",
     "<p><strong>{author_full_name}</strong> hat den Status von <a href=\"{task_url}\">{task_name}</a> auf "
     "<strong>{task_status_name}</strong> geändert.</p>\n",
     "[Kitsu] {author_first_name} hat Sie in {task_name} erwähnt", "Neue Erwähnung",
     "<p><strong>{author_full_name}</strong> hat Sie in einem Kommentar zu <a href=\"{task_url}\">{task_name}</a> "
     "erwähnt:</p>\n\n<p><em>{comment_text}</em></p>\n",
     "[Kitsu] Sie wurden {task_name} zugewiesen", "Neue Zuweisung",
     "<p><strong>{author_full_name}</strong> hat Sie <a href=\"{task_url}\">{task_name}</a> zugewiesen.</p>\n",
     "[Kitsu] {author_first_name} hat auf {task_name} geantwortet", "Neue Antwort",
     "<p><strong>{author_full_name}</strong> hat auf <a href=\"{task_url}\">{task_name}</a> "
     "geantwortet.</p>\n\n<p><em>{reply_text}</em></p>\n"},
    {"nl_NL", "[Kitsu] {task_status_name} - {author_first_name} heeft gereageerd op {task_name}", "Nieuwe reactie",
     "<p><strong>{author_full_name}</strong> heeft een reactie geplaatst op <a href=\"{task_url}\">{task_name}</a> en "
     "de status gezet op <strong>{task_status_name}</strong>.</p>\n\n<p><em>{comment_text}</em></p>\n",
     "<p><strong>{author_full_name}</strong> heeft de status van <a href=\"{task_url}\">{task_name}</a> gewijzigd naar "
     "<strong>{task_status_name}</strong>.</p>\n",
     "[Kitsu] {author_first_name} heeft je vermeld in {task_name}", "Nieuwe vermelding",
     "<p><strong>{author_full_name}</strong> heeft je vermeld in een reactie op <a "
     "href=\"{task_url}\">{task_name}</a>:</p>\n\n<p><em>{comment_text}</em></p>\n",
     "[Kitsu] Je bent toegewezen aan {task_name}", "Nieuwe toewijzing",
     "<p><strong>{author_full_name}</strong> heeft je toegewezen aan <a href=\"{task_url}\">{task_name}</a>.</p>\n",
     "[Kitsu] {author_first_name} heeft geantwoord op {task_name}", "Nieuw antwoord",
     "<p><strong>{author_full_name}</strong> heeft geantwoord op <a "
     "href=\"{task_url}\">{task_name}</a>.</p>\n\n<p><em>{reply_text}</em></p>\n"},
    {"zh_CN", "[Kitsu] {task_status_name} - {author_first_name} 在 {task_name} 上发表了评论", "新评论",
     "<p><strong>{author_full_name}</strong> 在 <a href=\"{task_url}\">{task_name}</a> 上发表了评论，并将状态设为 "
     "<strong>{task_status_name}</strong>。</p>\n\n<p><em>{comment_text}</em></p>\n",
     "<p><strong>{author_full_name}</strong> 将 <a href=\"{task_url}\">{task_name}</a> 的状态改为 "
     "<strong>{task_status_name}</strong>。</p>\n",
     "[Kitsu] {author_first_name} 在 {task_name} 中提到了您", "新@提及",
     "<p><strong>{author_full_name}</strong> 在 <a href=\"{task_url}\">{task_name}</a> "
     "的评论中提到了您：</p>\n\n<p><em>{comment_text}</em></p>\n",
     "[Kitsu] 您已被分配至 {task_name}", "新分配",
     "<p><strong>{author_full_name}</strong> 已将您分配至 <a href=\"{task_url}\">{task_name}</a>。</p>\n",
     "[Kitsu] {author_first_name} 在 {task_name} 上回复了", "新回复",
     "<p><strong>{author_full_name}</strong> 在 <a href=\"{task_url}\">{task_name}</a> "
     "上回复了。</p>\n\n<p><em>{reply_text}</em></p>\n"},
    {"pt_BR", "[Kitsu] {task_status_name} - {author_first_name} comentou em {task_name}", "Novo comentário",
     "<p><strong>{author_full_name}</strong> escreveu um comentário em <a href=\"{task_url}\">{task_name}</a> e "
     "definiu o status como <strong>{task_status_name}</strong>.</p>\n\n<p><em>{comment_text}</em></p>\n",
     "<p><strong>{author_full_name}</strong> alterou o status de <a href=\"{task_url}\">{task_name}</a> para "
     "<strong>{task_status_name}</strong>.</p>\n",
     "[Kitsu] {author_first_name} mencionou você em {task_name}", "Nova menção",
     "<p><strong>{author_full_name}</strong> mencionou você em um comentário em <a "
     "href=\"{task_url}\">{task_name}</a>:</p>\n\n<p><em>{comment_text}</em></p>\n",
     "[Kitsu] Você foi atribuído a {task_name}", "Nova atribuição",
     "<p><strong>{author_full_name}</strong> atribuiu você a <a href=\"{task_url}\">{task_name}</a>.</p>\n",
     "[Kitsu] {author_first_name} respondeu em {task_name}", "Nova resposta",
     "<p><strong>{author_full_name}</strong> respondeu em <a "
     "href=\"{task_url}\">{task_name}</a>.</p>\n\n<p><em>{reply_text}</em></p>\n"},
}};

const Wording& wording_for(const std::string& locale) {
    const std::string normalised = services::mail_locale(locale);
    for (const auto& wording : wordings)
        if (normalised == wording.locale)
            return wording;
    return wordings[0];
}

/// Python's html.escape, which Zou applies to every value put into a mail body.
std::string escape(const std::string& text) {
    std::string out;
    for (const char ch : html_escape(text)) {
        if (ch == '\'')
            out += "&#x27;";
        else
            out.push_back(ch);
    }
    return out;
}

/// Fills Zou's {name} placeholders; values are escaped unless `plain` (subjects and titles).
std::string fill(std::string text, const std::map<std::string, std::string>& values, bool plain) {
    std::string out;
    for (size_t at = 0; at < text.size();) {
        const size_t open = text.find('{', at);
        const size_t close = open == std::string::npos ? open : text.find('}', open);
        if (close == std::string::npos) {
            out += text.substr(at);
            break;
        }
        out += text.substr(at, open - at);
        const auto value = values.find(text.substr(open + 1, close - open - 1));
        if (value == values.end())
            out += text.substr(open, close - open + 1);
        else
            out += plain ? value->second : escape(value->second);
        at = close + 1;
    }
    return out;
}

constexpr const char* notification_mail_sql = R"(
SELECT n.type, p.email, p.locale,
       p.notifications_enabled AND COALESCE(p.email, '') <> '' AS by_mail,
       p.notifications_slack_enabled AS by_slack, p.notifications_slack_userid AS slack_userid,
       p.notifications_mattermost_enabled AS by_mattermost, p.notifications_mattermost_userid AS mattermost_userid,
       a.first_name AS author_first_name,
       %AUTHOR_NAME% AS author_full_name,
       t.id AS task_id, t.project_id, pr.name AS project_name, pr.production_type,
       tt.name AS task_type_name, tt.for_entity, COALESCE(upper(ts.short_name), '') AS task_status_name,
       %FULL_NAME% AS entity_name,
       CASE WHEN et.name = 'Shot' THEN gpar.id WHEN et.name = 'Sequence' THEN par.id
            WHEN et.name = 'Episode' THEN NULL ELSE e.source_id END AS episode_id,
       cm.text AS comment_text,
       (SELECT r->>'text' FROM jsonb_array_elements(COALESCE(cm.replies, '[]'::jsonb)) r
        WHERE r->>'id' = n.reply_id::text LIMIT 1) AS reply_text
FROM notification n
JOIN person p ON p.id = n.person_id
JOIN person a ON a.id = n.author_id
JOIN task t ON t.id = n.task_id
JOIN project pr ON pr.id = t.project_id
JOIN task_type tt ON tt.id = t.task_type_id
LEFT JOIN task_status ts ON ts.id = t.task_status_id
JOIN entity e ON e.id = t.entity_id %JOINS%
LEFT JOIN comment cm ON cm.id = n.comment_id
WHERE n.id = ANY($1::uuid[])
  AND ((p.notifications_enabled AND COALESCE(p.email, '') <> '') OR p.notifications_slack_enabled
       OR p.notifications_mattermost_enabled)
  AND n.type IN ('comment', 'mention', 'reply', 'reply-mention', 'assignation')
ORDER BY n.created_at, n.id)";

std::string mail_sql() {
    std::string sql = notification_mail_sql;
    sql.replace(sql.find("%AUTHOR_NAME%"), 13, people::full_name_sql("a"));
    sql.replace(sql.find("%FULL_NAME%"), 11, user::full_entity_name_sql);
    sql.replace(sql.find("%JOINS%"), 7, user::entity_name_joins);
    return sql;
}

/// Zou's CHAT_CHANNELS (Discord aside): the notification query's columns of each channel and the
/// organisation's credential.
struct ChatChannel {
    const char* channel;
    const char* wanted_column;
    const char* user_column;
    const char* credential_column;
};
constexpr ChatChannel chat_channels[] = {
    {"slack", "by_slack", "slack_userid", "chat_token_slack"},
    {"mattermost", "by_mattermost", "mattermost_userid", "chat_webhook_mattermost"},
};

/// The chat text of a notification: Zou's slack_message (Mattermost posts the same).
std::string chat_text(const std::string& type, const std::map<std::string, std::string>& values) {
    const std::string link = "<" + values.at("task_url") + "|" + values.at("task_name") + ">";
    const std::string author = "*" + values.at("author_full_name") + "*";
    if (type == "comment")
        return values.at("comment_text").empty()
                   ? author + " changed status of " + link + " to *" + values.at("task_status_name") + "*.\n"
                   : author + " wrote a comment on " + link + " and set the status to *" +
                         values.at("task_status_name") + "*.\n\n_" + values.at("comment_text") + "_\n";
    if (type == "mention" || type == "reply-mention")
        return author + " mentioned you in a comment on " + link + ".\n\n_" + values.at("comment_text") + "_\n";
    if (type == "reply")
        return author + " wrote a reply on " + link + ".\n\n_" + values.at("reply_text") + "_\n";
    return author + " assigned you to " + link + ".\n";
}

} // namespace

NotificationMessages notification_messages(db::Connection& c, const Config& config,
                                           const std::vector<std::string>& notification_ids) {
    NotificationMessages messages;
    if (notification_ids.empty())
        return messages;
    static const std::string sql = mail_sql();
    const auto rows = c.exec(sql, {crud::array_literal(notification_ids)});
    if (rows.rows() == 0)
        return messages;
    const auto organisation = queries::get_or_create_organisation(c);
    const std::string organisation_name(organisation.get(0, "name"));
    for (int row = 0; row < rows.rows(); ++row) {
        const std::string type(rows.get(row, "type"));
        const std::string locale = rows.optional(row, "locale").value_or("");
        const Wording& wording = wording_for(locale);
        // get_task_descriptors: the task's name and address.
        const std::string for_entity = rows.optional(row, "for_entity").value_or("");
        const std::string kind = for_entity == "Shot" ? "shots" : for_entity == "Edit" ? "edits" : "assets";
        const std::string episode = rows.optional(row, "production_type") == std::optional<std::string>("tvshow")
                                        ? "/episodes/" + rows.optional(row, "episode_id").value_or("main")
                                        : "";
        const std::string task_id(rows.get(row, "task_id"));
        const std::string project_name(rows.get(row, "project_name"));
        std::map<std::string, std::string> values{
            {"task_name", project_name + " / " + std::string(rows.get(row, "entity_name")) + " / " +
                              std::string(rows.get(row, "task_type_name"))},
            {"task_url", config.domain_protocol + "://" + config.domain_name + "/productions/" +
                             std::string(rows.get(row, "project_id")) + episode + "/" + kind + "/tasks/" + task_id},
            {"author_first_name", rows.optional(row, "author_first_name").value_or("")},
            {"author_full_name", std::string(rows.get(row, "author_full_name"))},
            {"task_status_name", std::string(rows.get(row, "task_status_name"))},
            {"comment_text", rows.optional(row, "comment_text").value_or("")},
            {"reply_text", rows.optional(row, "reply_text").value_or("")},
        };
        // send_notification: each chat the person turned on, with the organisation's credential.
        for (const auto& chat : chat_channels) {
            if (!rows.get_bool(row, chat.wanted_column))
                continue;
            messages.chat_posts.push_back({chat.channel, organisation.optional(0, chat.credential_column).value_or(""),
                                           rows.optional(row, chat.user_column).value_or(""), chat_text(type, values),
                                           project_name});
        }
        if (!config.mail_enabled || !rows.get_bool(row, "by_mail"))
            continue;
        const char* subject;
        const char* title;
        const char* body;
        if (type == "comment") {
            subject = wording.comment_subject;
            title = wording.comment_title;
            body = values["comment_text"].empty() ? wording.comment_body_status_only : wording.comment_body_with_text;
        } else if (type == "mention" || type == "reply-mention") {
            // A mention in a reply is mailed with the comment's text, as Zou does.
            subject = wording.mention_subject;
            title = wording.mention_title;
            body = wording.mention_body;
        } else if (type == "reply") {
            subject = wording.reply_subject;
            title = wording.reply_title;
            body = wording.reply_body;
        } else {
            subject = wording.assignation_subject;
            title = wording.assignation_title;
            body = wording.assignation_body;
        }
        messages.mails.push_back(services::compose_mail(std::string(rows.get(row, "email")),
                                                        fill(subject, values, true), fill(title, values, true),
                                                        fill(body, values, false),
                                                        services::mail_signature(locale, organisation_name)));
    }
    return messages;
}

void send_notification_mails(db::Connection& c, const Config& config, Mailer& mailer,
                             const std::vector<std::string>& notification_ids) noexcept {
    try {
        auto messages = notification_messages(c, config, notification_ids);
        for (auto& mail : messages.mails)
            mailer.send_later(std::move(mail));
        for (auto& post : messages.chat_posts)
            mailer.post_later(std::move(post));
    } catch (const std::exception& e) {
        log::error(std::string("notification mails failed: ") + e.what());
    }
}

} // namespace slate::engine::people
