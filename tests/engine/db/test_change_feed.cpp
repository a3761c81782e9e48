// tests/engine/db/test_change_feed.cpp: the pool's one connection per thread (and extra leases), nested
// transactions as savepoints, and the change feed that keeps caches true across connections.
#include <catch2/catch.hpp>

#include "support/test_database.h"

#include "engine/db/change_feed.h"
#include "engine/db/pool.h"

#include <chrono>
#include <thread>

using slate::engine::db::ChangeFeed;
using slate::engine::db::Connection;
using slate::engine::db::Pool;
using slate::engine::db::Transaction;
using slate::engine::db::VersionedCache;

namespace {

/// Waits up to five seconds for `done`.
template <class Condition>
bool eventually(Condition done) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (std::chrono::steady_clock::now() < deadline) {
        if (done())
            return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return done();
}

} // namespace

TEST_CASE("a thread holds one connection of a pool: a second lease shares it", "[engine][pg]") {
    Pool pool(slate::test::fresh_database(), 1, std::chrono::milliseconds(200));
    auto outer = pool.acquire();
    auto inner = pool.acquire(); // with one connection, a second one would time out
    CHECK(&*outer == &*inner);
    Connection* other_thread_connection = nullptr;
    bool other_thread_waited = false;
    std::thread([&] {
        try {
            auto lease = pool.acquire();
            other_thread_connection = &*lease;
        } catch (const slate::Error&) {
            other_thread_waited = true; // the only connection is out on the first thread
        }
    }).join();
    CHECK(other_thread_waited);
    CHECK(other_thread_connection == nullptr);
}

TEST_CASE("an extra lease is a connection of its own, never shared and never waited for", "[engine][pg]") {
    Pool pool(slate::test::fresh_database(), 2, std::chrono::milliseconds(200));
    auto own = pool.acquire();
    auto extra = pool.try_acquire_extra();
    REQUIRE(extra.has_value());
    CHECK(&**extra != &*own);
    auto shared = pool.acquire(); // the thread's acquire still shares its own, not the extra
    CHECK(&*shared == &*own);
    CHECK_FALSE(pool.try_acquire_extra().has_value()); // the pool is full: no wait, no lease
    const std::string extra_pid((*extra)->exec("SELECT pg_backend_pid()::text AS pid").get(0, "pid"));
    extra.reset(); // given back: the next extra lease (or another thread's acquire) takes it
    auto again = pool.try_acquire_extra();
    REQUIRE(again.has_value());
    CHECK(std::string((*again)->exec("SELECT pg_backend_pid()::text AS pid").get(0, "pid")) == extra_pid);
}

TEST_CASE("a transaction inside a transaction is a savepoint of it", "[engine][pg]") {
    Connection c(slate::test::fresh_database());
    c.exec("CREATE TEMPORARY TABLE kept (n integer)");
    {
        Transaction outer(c);
        c.exec("INSERT INTO kept VALUES (1)");
        {
            Transaction inner(c);
            c.exec("INSERT INTO kept VALUES (2)");
        } // rolled back: only the inner row goes
        {
            Transaction inner(c);
            c.exec("INSERT INTO kept VALUES (3)");
            inner.commit();
        }
        outer.commit();
    }
    const auto rows = c.exec("SELECT string_agg(n::text, ',' ORDER BY n) FROM kept");
    CHECK(rows.get(0, 0) == "1,3");
    {
        Transaction outer(c);
        Transaction inner(c);
        c.exec("INSERT INTO kept VALUES (4)");
        inner.commit();
    } // the outer rolls back the inner's committed savepoint with it
    CHECK(c.exec("SELECT count(*) AS n FROM kept").get_int(0, "n") == 2);
}

TEST_CASE("the change feed hears what another connection commits, table by table", "[engine][pg]") {
    const auto settings = slate::test::fresh_database();
    ChangeFeed feed(settings);
    CHECK_FALSE(feed.live());
    feed.start();
    REQUIRE(feed.live());
    const uint64_t statuses = feed.stamp({"task_status"});
    const uint64_t playlists = feed.stamp({"playlist"});
    Connection writer(settings);
    {
        Transaction tx(writer);
        writer.exec("UPDATE task_status SET name = name WHERE short_name = 'wip'");
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        CHECK(feed.stamp({"task_status"}) == statuses); // not committed: nothing heard
        tx.commit();
    }
    CHECK(eventually([&] { return feed.stamp({"task_status"}) != statuses; }));
    CHECK(feed.stamp({"playlist"}) == playlists);
    CHECK(feed.stamp({"playlist", "task_status"}) == feed.stamp({"task_status"}));
    // Statements that change Slate's revocations are heard too.
    const uint64_t revocations = feed.stamp({"slate_revoked_token"});
    writer.exec("INSERT INTO slate_revoked_token (jti, expires_at) VALUES ('x', now() + interval '1 hour')");
    CHECK(eventually([&] { return feed.stamp({"slate_revoked_token"}) != revocations; }));
    feed.stop();
    CHECK_FALSE(feed.live());
}

TEST_CASE("a versioned cache answers from memory until its tables change", "[engine][pg]") {
    const auto settings = slate::test::fresh_database();
    ChangeFeed feed(settings);
    VersionedCache<std::string> cache;
    Connection reader(settings), writer(settings);
    int loads = 0;
    auto wip_name = [&] {
        return cache.get(&feed, "wip", {"task_status"}, [&] {
            ++loads;
            return std::string(reader.exec("SELECT name FROM task_status WHERE short_name = 'wip'").get(0, 0));
        });
    };
    // Without a live feed nothing is kept.
    wip_name();
    wip_name();
    CHECK(loads == 2);
    feed.start();
    REQUIRE(feed.live());
    loads = 0;
    const std::string before = wip_name();
    CHECK(wip_name() == before);
    CHECK(loads == 1);
    writer.exec("UPDATE task_status SET name = 'Work in progress (renamed)' WHERE short_name = 'wip'");
    CHECK(eventually([&] { return wip_name() == "Work in progress (renamed)"; }));
    CHECK(loads == 2);
    // A change elsewhere keeps the value.
    writer.exec("UPDATE playlist SET name = name");
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    wip_name();
    CHECK(loads == 2);
    // Losing track of changes drops everything.
    feed.everything_changed();
    wip_name();
    CHECK(loads == 3);
}

TEST_CASE("a lease that wrote drops this process's cached values at once", "[engine][pg]") {
    Pool pool(slate::test::fresh_database(), 2);
    pool.changes().start();
    REQUIRE(pool.changes().live());
    const uint64_t before = pool.changes().stamp({"project"});
    {
        auto lease = pool.acquire();
        lease->exec("SELECT 1");
    }
    CHECK(pool.changes().stamp({"project"}) == before); // a read marks nothing
    {
        auto lease = pool.acquire();
        lease->exec("UPDATE project SET name = name");
    }
    CHECK(pool.changes().stamp({"project"}) != before); // no wait for the notification
}

TEST_CASE("a numeric column that is not an integer is an error, not 0", "[engine][pg]") {
    Connection c(slate::test::fresh_database());
    const auto rows = c.exec("SELECT 2.5::numeric AS n, 'x'::text AS t, 42 AS i");
    CHECK(rows.get_int(0, "i") == 42);
    CHECK_THROWS_AS(rows.get_int(0, "n"), slate::Error);
    CHECK_THROWS_AS(rows.get_int(0, "t"), slate::Error);
}
