#pragma once
// tests/api/entities_fixture.h: what the shots, edits and concepts tests share: making an entity
// of a kind through its production route.

#include "api/projects_fixture.h"

namespace slate::test {

/// POST /data/projects/<project>/<kind> as the admin (kind: "shots", "sequences", ...): its id.
inline std::string create_entity(ProductionFixture& f, const std::string& kind, const std::string& body) {
    const auto created = http_post(f.port, "/data/projects/" + f.project + "/" + kind, body, f.admin);
    INFO(created.body);
    REQUIRE(created.status == 201);
    return created.json()->getValue<std::string>("id");
}

} // namespace slate::test
