// engine/production/sequence_casting.cpp: a sequence's, an episode's or a whole production's
// casting (Zou's get_sequence_casting), streamed.
//
// Zou sorts every link by sequence, shot, asset type and asset name. On a production of
// 300,000 links that sort on collated text is most of PostgreSQL's work. Here PostgreSQL
// sorts only the shots and the cast assets (thousands of rows); the links are walked shot by
// shot through the link index, and each shot's few links are put in asset order here, with
// each asset's members written once and reused for every shot that casts it.
#include "engine/production/casting.h"

#include "engine/crud/queries.h"
#include "engine/db/connection.h"
#include "engine/db/cursor_reader.h"
#include "engine/json.h"
#include "engine/serialize.h"

#include <algorithm>
#include <mutex>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace slate::engine::production {
namespace {

constexpr std::size_t flush_bytes = 64 * 1024;

/// `"name":value` members of a row, comma-separated, written as write_value writes them.
std::string members_json(const db::Result& result, int row,
                         std::initializer_list<std::pair<std::string_view, int>> members) {
    JsonWriter out;
    out.begin_object();
    for (const auto& [name, column] : members) {
        out.key(name);
        write_value(out, result, row, column);
    }
    std::string text = out.take();
    return text.substr(1); // without the '{': pieces of a larger object
}

/// A cast asset, its members written once: an object of the casting is
/// `{` head `,"sequence_name":…` middle `,"nb_occurences":…,"label":…` tail `}`.
struct CastAsset {
    std::string head;   ///< asset_id, name, asset_name, asset_type_name
    std::string middle; ///< ,preview_file_id
    std::string tail;   ///< ,is_shared,project_id
};

struct TransparentHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
};

/// The assets cast in the shots, in Zou's order of a shot's casting (asset type name, asset
/// name): their index is their rank.
class CastAssets {
public:
    CastAssets(db::Connection& c, const std::string& shots_sql, const db::Params& params) {
        const auto rows = c.exec("SELECT a.id, a.name, at.name AS asset_type_name, a.preview_file_id, a.is_shared, "
                                 "a.project_id FROM entity a JOIN entity_type at ON at.id = a.entity_type_id "
                                 "WHERE a.canceled <> true AND a.id IN (SELECT l.entity_out_id FROM (" +
                                     shots_sql +
                                     ") s JOIN entity_link l ON l.entity_in_id = s.id) "
                                     "ORDER BY at.name, a.name, a.id",
                                 params);
        m_assets.reserve(std::size_t(rows.rows()));
        for (int row = 0; row < rows.rows(); ++row) {
            m_rank.emplace(std::string(rows.get(row, 0)), int(m_assets.size()));
            m_assets.push_back(
                {members_json(rows, row, {{"asset_id", 0}, {"name", 1}, {"asset_name", 1}, {"asset_type_name", 2}}),
                 "," + members_json(rows, row, {{"preview_file_id", 3}}),
                 "," + members_json(rows, row, {{"is_shared", 4}, {"project_id", 5}})});
        }
    }

    /// The rank of a cast asset; -1 for one left out (canceled).
    int rank(std::string_view id) const {
        const auto found = m_rank.find(id);
        return found == m_rank.end() ? -1 : found->second;
    }
    const CastAsset& operator[](int rank) const { return m_assets[std::size_t(rank)]; }

private:
    std::vector<CastAsset> m_assets;
    std::unordered_map<std::string, int, TransparentHash, std::equal_to<>> m_rank;
};

/// One link of the shot being written: its asset's rank and its own members.
struct ShotLink {
    int asset;
    std::string members; ///< ,"nb_occurences":…,"label":…
};

/// Writes `{shot_id: [cast…], …}` from the links read shot after shot.
class CastingWriter {
public:
    CastingWriter(const CastAssets& assets, const std::function<void(std::string_view)>& sink)
        : m_assets(assets), m_sink(sink) {
        m_out.push_back('{');
    }

    /// Row of the links cursor: shot id, sequence name, asset id, nb_occurences, label.
    void add(const db::Result& batch, int row) {
        const int asset = m_assets.rank(batch.get(row, 2));
        if (batch.get(row, 0) != m_shot) {
            write_shot();
            m_shot = batch.get(row, 0);
            m_sequence = "," + members_json(batch, row, {{"sequence_name", 1}});
        }
        if (asset < 0)
            return;
        // nb_occurences (an integer) and label (text), as write_value writes them; once per
        // link, so without a JsonWriter each.
        std::string members = ",\"nb_occurences\":";
        members.append(batch.is_null(row, 3) ? "null" : batch.get(row, 3));
        members.append(",\"label\":");
        if (batch.is_null(row, 4))
            members.append("null");
        else
            append_json_string(members, batch.get(row, 4));
        m_links.push_back({asset, std::move(members)});
    }

    void finish() {
        write_shot();
        m_out.push_back('}');
        m_sink(m_out);
    }

private:
    /// The shot's links in asset order; a shot whose every cast asset is canceled is left out,
    /// as Zou's inner join leaves it.
    void write_shot() {
        if (m_links.empty())
            return;
        std::sort(m_links.begin(), m_links.end(),
                  [](const ShotLink& a, const ShotLink& b) { return a.asset < b.asset; });
        if (m_shots_written++ > 0)
            m_out.push_back(',');
        append_json_string(m_out, m_shot);
        m_out.append(":[");
        bool first = true;
        for (const auto& link : m_links) {
            const CastAsset& asset = m_assets[link.asset];
            if (!first)
                m_out.push_back(',');
            first = false;
            m_out.push_back('{');
            m_out.append(asset.head).append(m_sequence).append(asset.middle).append(link.members).append(asset.tail);
            m_out.push_back('}');
        }
        m_out.push_back(']');
        m_links.clear();
        if (m_out.size() >= flush_bytes) {
            m_sink(m_out);
            m_out.clear();
        }
    }

    const CastAssets& m_assets;
    const std::function<void(std::string_view)>& m_sink;
    std::string m_out;
    std::string m_shot;
    std::string m_sequence; ///< ,"sequence_name":… of the shot
    std::vector<ShotLink> m_links;
    long m_shots_written = 0;
};

} // namespace

void write_sequence_casting(db::Connection& c, const std::optional<std::string>& sequence_id,
                            const std::optional<std::string>& project_id, const std::optional<std::string>& episode_id,
                            const std::function<void(std::string_view)>& sink) {
    if (episode_id && *episode_id == "main") {
        sink("{}");
        return;
    }
    queries::Where where;
    if (sequence_id)
        where.add("s.parent_id = " + where.param(*sequence_id) + "::uuid");
    if (project_id)
        where.add("s.project_id = " + where.param(*project_id) + "::uuid");
    if (episode_id)
        where.add("q.parent_id = " + where.param(*episode_id) + "::uuid");
    const db::Params& params = where.params();
    // Any entity under a parent ("shot" under "sequence"), as Zou's joins take them.
    const std::string shots =
        "SELECT s.id, s.name, q.name AS sequence_name FROM entity s JOIN entity q ON q.id = s.parent_id" + where.sql();
    const bool own_transaction = !c.in_transaction();
    db::Transaction transaction(c);
    if (own_transaction) // the cast assets and the links from the same snapshot
        c.exec("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
    const CastAssets assets(c, shots, params);
    CastingWriter writer(assets, sink);
    {
        // The links of each shot through the link index, in the shots' order: LATERAL with
        // OFFSET 0 keeps the planner from joining them all by hash and sorting them again.
        std::mutex connection_lock;
        db::CursorReader rows(c, "slate_casting_cursor",
                              "SELECT s.id, s.sequence_name, l.entity_out_id, l.nb_occurences, l.label FROM (" + shots +
                                  " ORDER BY q.name, s.name, s.id) s CROSS JOIN LATERAL (SELECT l.entity_out_id, "
                                  "l.nb_occurences, l.label FROM entity_link l WHERE l.entity_in_id = s.id OFFSET 0) l"
                                  " ORDER BY s.sequence_name, s.name, s.id",
                              params, connection_lock);
        for (; !rows.done(); rows.advance())
            writer.add(rows.result(), rows.row());
    } // the cursor closes before the commit
    writer.finish();
    transaction.commit();
}

} // namespace slate::engine::production
