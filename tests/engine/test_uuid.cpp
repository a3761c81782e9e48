// tests/engine/test_uuid.cpp: new row ids are random version-4 uuids, as Python's uuid4 makes.
#include <catch2/catch.hpp>

#include "engine/uuid.h"

#include <set>
#include <thread>
#include <vector>

using namespace slate::engine;

TEST_CASE("new uuids are version 4, RFC 4122, and never repeat, across threads", "[engine][uuid]") {
    std::set<std::string> seen;
    for (int i = 0; i < 5000; ++i) { // past several 4 KiB refills of the random pool
        const std::string id = new_uuid();
        REQUIRE(is_uuid(id));
        CHECK(id[14] == '4');
        CHECK(std::string("89ab").find(id[19]) != std::string::npos);
        for (char c : id)
            CHECK_FALSE((c >= 'A' && c <= 'F'));
        seen.insert(id);
    }
    CHECK(seen.size() == 5000);
    std::vector<std::vector<std::string>> made(4);
    std::vector<std::thread> threads;
    for (auto& list : made)
        threads.emplace_back([&list] {
            for (int i = 0; i < 2000; ++i)
                list.push_back(new_uuid());
        });
    for (auto& thread : threads)
        thread.join();
    for (const auto& list : made)
        seen.insert(list.begin(), list.end());
    CHECK(seen.size() == 5000 + 4 * 2000);
}
