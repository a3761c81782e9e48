// The breakdown of a sample production: episodes, sequences, shots, assets and the casting.

#include "engine/samples/bulk_table.h"
#include "engine/samples/sample_context.h"
#include "engine/samples/sample_names.h"

#include <algorithm>
#include <cstdio>
#include <set>

namespace slate::engine::samples {

namespace {

constexpr int64_t day = 86400;

std::string numbered(const char* format, int number) {
    char text[32];
    std::snprintf(text, sizeof text, format, number);
    return text;
}

void make_entities(Context& x) {
    Rng rng(x.seed, s_names, 1);
    for (int e = 0; e < x.size.episodes; ++e)
        x.episodes.push_back({x.id(s_episode, e), numbered("E%02d", e + 1)});
    for (int s = 0; s < x.size.sequences; ++s) {
        const int episode = s * x.size.episodes / x.size.sequences;
        const int first = (episode * x.size.sequences + x.size.episodes - 1) / x.size.episodes; // its first
        x.sequences.push_back({x.id(s_sequence, s), numbered("SQ%03d", (s - first + 1) * 10), episode, episode});
    }
    for (int h = 0; h < x.size.shots; ++h) {
        const int sequence = static_cast<int>(static_cast<long long>(h) * x.size.sequences / x.size.shots);
        const int first = static_cast<int>((static_cast<long long>(sequence) * x.size.shots + x.size.sequences - 1) /
                                           x.size.sequences);
        x.shots.push_back({x.id(s_shot, h), numbered("SH%04d", (h - first + 1) * 10), sequence,
                           x.sequences[sequence].episode, -1, 24 + rng.below(8) * 12});
    }
    // Assets: more characters and props than crowds and matte paintings.
    static const int weights[] = {5, 6, 3, 2, 2, 2, 1, 1};
    std::vector<int> types;
    for (std::size_t t = 0; t < x.asset_type_ids.size(); ++t)
        types.insert(types.end(), weights[t], static_cast<int>(t));
    std::set<std::pair<int, std::string>> taken;
    for (int a = 0; a < x.size.assets; ++a) {
        const int type = types[a % types.size()];
        const auto& words = names::asset_words(x.asset_type_names[type]);
        std::string name = rng.pick(names::asset_qualifiers) + " " + rng.pick(words);
        for (int n = 2; taken.count({type, name}); ++n)
            name = rng.pick(names::asset_qualifiers) + " " + rng.pick(words) + " " + std::to_string(n);
        taken.insert({type, name});
        x.assets.push_back({x.id(s_asset, a), name, -1, -1, type});
    }
}

/// Which assets each shot casts: ~casting assets, drawn from its sequence's pool.
std::vector<std::vector<std::pair<int, int>>> make_casting(Context& x) {
    std::vector<std::vector<std::pair<int, int>>> casting(x.shots.size());
    const int assets = static_cast<int>(x.assets.size());
    const int pool = std::min(assets, x.size.casting * 2);
    for (std::size_t h = 0; h < x.shots.size(); ++h) {
        Rng rng(x.seed, s_casting, h);
        Rng sequence_rng(x.seed, s_casting, 1000000 + x.shots[h].parent);
        const int pool_start = sequence_rng.below(assets);
        const int count = std::min(pool, std::max(1, x.size.casting - 4 + rng.below(9)));
        std::set<int> chosen;
        while (static_cast<int>(chosen.size()) < count)
            chosen.insert((pool_start + rng.below(pool)) % assets);
        for (int asset : chosen)
            casting[h].emplace_back(asset, rng.chance(0.8) ? 1 : rng.between(2, 5));
    }
    return casting;
}

} // namespace

void write_breakdown(Context& x) {
    make_entities(x);
    const auto casting = make_casting(x);
    const long long total = static_cast<long long>(x.episodes.size() + x.sequences.size() + x.shots.size() +
                                                   x.assets.size());
    BulkTable entities(x.c, x.config, "entity",
                       {"id", "name", "description", "project_id", "entity_type_id", "parent_id", "nb_frames",
                        "nb_entities_out", "data", "created_by", "created_at", "updated_at"});
    const std::string created = timestamp_text(x.today - 360 * day);
    const std::string& author = x.persons[x.managers.front()].id;
    long long done = 0;
    auto row = [&](const EntityInfo& e, const std::string& type, const std::optional<std::string>& parent,
                   const std::string& description, long long frames, long long cast, const std::string& data) {
        entities.field(e.id).field(e.name).field(description).field(x.project_id).field(type).optional(parent);
        frames ? entities.field(frames) : entities.null();
        entities.field(cast).field(data).field(author).field(created).field(created).end_row();
        if (++done % 4096 == 0)
            x.report("breakdown", done, total);
    };
    for (const auto& e : x.episodes)
        row(e, x.episode_type, std::nullopt, "", 0, 0, "{}");
    Rng rng(x.seed, s_names, 2);
    for (const auto& s : x.sequences)
        row(s, x.sequence_type, x.episodes[s.parent].id,
            "At the " + rng.pick(names::places) + ".", 0, 0, "{}");
    for (std::size_t h = 0; h < x.shots.size(); ++h) {
        const auto& s = x.shots[h];
        const std::string data = "{\"fps\": \"25\", \"frame_in\": 1001, \"frame_out\": " +
                                 std::to_string(1000 + s.frames) + "}";
        row(s, x.shot_type, x.sequences[s.parent].id, "", s.frames, static_cast<long long>(casting[h].size()), data);
    }
    for (const auto& a : x.assets)
        row(a, x.asset_type_ids[a.type], std::nullopt,
            "The " + a.name + " (" + x.asset_type_names[a.type] + ").", 0, 0, "{}");
    x.wrote("entity", entities.finish());
    x.report("breakdown", total, total);

    long long links = 0;
    for (const auto& c : casting)
        links += static_cast<long long>(c.size());
    BulkTable casting_rows(x.c, x.config, "entity_link",
                           {"id", "entity_in_id", "entity_out_id", "nb_occurences", "created_at", "updated_at"});
    long long index = 0;
    for (std::size_t h = 0; h < x.shots.size(); ++h)
        for (const auto& [asset, occurences] : casting[h]) {
            casting_rows.field(x.id(s_entity_link, index)).field(x.shots[h].id).field(x.assets[asset].id);
            casting_rows.field(static_cast<long long>(occurences)).field(created).field(created).end_row();
            if (++index % 16384 == 0)
                x.report("casting", index, links);
        }
    x.wrote("entity_link", casting_rows.finish());
    x.report("casting", links, links);
}

} // namespace slate::engine::samples
