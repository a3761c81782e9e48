// tests/api/test_projects_budgets.cpp: a production's budgets and their entries, for its
// managers (answers checked against Zou 1.0.67).
#include <catch2/catch.hpp>

#include "api/projects_fixture.h"

using namespace slate::test;

TEST_CASE("budgets are made in revisions, renamed and deleted with their entries", "[api][pg][projects]") {
    ProductionFixture f;
    const std::string budgets = "/data/projects/" + f.project + "/budgets";
    CHECK(http_get(f.port, budgets, f.admin).body == "[]");
    const auto first = http_post(f.port, budgets, R"({"name":"B1"})", f.admin);
    REQUIRE(first.status == 200); // Zou answers 200 here
    CHECK(first.json()->getValue<std::string>("currency") == "USD");
    CHECK(first.json()->getValue<int>("revision") == 1);
    CHECK(first.json()->getValue<std::string>("type") == "Budget");
    const std::string id = first.json()->getValue<std::string>("id");
    const auto second = http_post(f.port, budgets, R"({"name":"B2","currency":null})", f.admin).json();
    CHECK(second->getValue<int>("revision") == 2);
    CHECK(second->isNull("currency"));
    const auto listed = json_array(http_get(f.port, budgets, f.admin));
    REQUIRE(listed->size() == 2);
    CHECK(listed->getObject(0)->size() == 5); // present(): no type, no dates

    const auto renamed = http_call(f.port, "PUT", budgets + "/" + id, f.admin, R"({"name":"Main"})").json();
    CHECK(renamed->getValue<std::string>("name") == "Main");
    CHECK(renamed->getValue<std::string>("currency") == "USD");
    CHECK(http_get(f.port, budgets + "/" + id, f.admin).json()->getValue<std::string>("name") == "Main");
    CHECK(f.events("budget:create") == 2);
    CHECK(f.events("budget:update") == 1);

    const std::string department = f.id_of("department", "Modeling");
    REQUIRE(http_post(f.port, budgets + "/" + id + "/entries",
                      R"({"department_id":")" + department +
                          R"(","start_date":"2024-01-01","months_duration":6,"daily_salary":500})",
                      f.admin)
                .status == 200);
    REQUIRE(http_call(f.port, "DELETE", budgets + "/" + id, f.admin).status == 204);
    CHECK(f.server.query("SELECT count(*) FROM budget_entry") == "0");
    CHECK(json_array(http_get(f.port, budgets, f.admin))->size() == 1);
    CHECK(f.events("budget:delete") == 1);
}

TEST_CASE("budget entries carry a department, dates, a salary and the months' exceptions", "[api][pg][projects]") {
    ProductionFixture f;
    const std::string budget = "/data/projects/" + f.project + "/budgets/" +
                               http_post(f.port, "/data/projects/" + f.project + "/budgets", R"({"name":"B"})", f.admin)
                                   .json()
                                   ->getValue<std::string>("id");
    const std::string department = f.id_of("department", "Modeling");
    const auto created = http_post(f.port, budget + "/entries",
                                   R"({"department_id":")" + department +
                                       R"(","start_date":"2024-01-01","months_duration":6,"daily_salary":500})",
                                   f.admin);
    REQUIRE(created.status == 200);
    const auto entry = created.json();
    CHECK(entry->getValue<std::string>("position") == "artist"); // the model's defaults
    CHECK(entry->getValue<std::string>("seniority") == "mid");
    CHECK(entry->getObject("exceptions")->size() == 0);
    CHECK(created.body.find(R"("daily_salary":500.0)") != std::string::npos);
    const std::string entry_path = budget + "/entries/" + entry->getValue<std::string>("id");

    const auto updated = http_call(f.port, "PUT", entry_path, f.admin,
                                   R"({"department_id":")" + department +
                                       R"(","start_date":"2024-01-01","months_duration":6,"daily_salary":700,)"
                                       R"("exceptions":{"2024-02":3,"2024-03":0,"2024-04":null,"2024-05":2.7}})");
    REQUIRE(updated.status == 200);
    CHECK(updated.json()->getValue<double>("daily_salary") == 700.0);
    CHECK(updated.json()->isNull("position")); // a PUT writes what it leaves out as null, as Zou
    const auto exceptions = updated.json()->getObject("exceptions");
    CHECK(exceptions->size() == 2); // zero and null months dropped, 2.7 cut to 2
    CHECK(exceptions->getValue<int>("2024-02") == 3);
    CHECK(exceptions->getValue<int>("2024-05") == 2);
    const auto listed = json_array(http_get(f.port, budget + "/entries", f.admin));
    REQUIRE(listed->size() == 1);
    CHECK(listed->getObject(0)->size() == 10);
    CHECK(http_get(f.port, entry_path, f.admin).json()->getValue<std::string>("type") == "BudgetEntry");
    CHECK(f.events("budget-entry:update") == 1);
    REQUIRE(http_call(f.port, "DELETE", entry_path, f.admin).status == 204);
    CHECK(http_get(f.port, entry_path, f.admin).status == 404);
}

TEST_CASE("budgets refuse bad input, other productions' budgets and non-managers", "[api][pg][projects]") {
    ProductionFixture f;
    const std::string budgets = "/data/projects/" + f.project + "/budgets";
    CHECK(
        http_post(f.port, budgets, "{}", f.admin).body ==
        R"({"error":true,"message":"Validation error.","data":{"errors":[{"field":"name","message":"Field required"}]}})");
    CHECK(http_post(f.port, budgets, R"({"name":"B","currency":"EURO"})", f.admin).status == 400);
    CHECK(message_of(http_get(f.port, budgets + "/bad", f.admin)) == "Wrong UUID format.");
    CHECK(http_get(f.port, budgets + "/6d0c5ab4-0000-4000-8000-000000000000", f.admin).status == 404);
    const std::string id = http_post(f.port, budgets, R"({"name":"B"})", f.admin).json()->getValue<std::string>("id");
    const auto missing =
        http_post(f.port, budgets + "/" + id + "/entries", R"({"department_id":"x","position":"boss"})", f.admin);
    CHECK(missing.status == 400);
    CHECK(missing.body == R"({"error":true,"message":"Validation error.","data":{"errors":[)"
                          R"({"field":"position","message":"Input should be 'supervisor', 'lead' or 'artist'"},)"
                          R"({"field":"start_date","message":"Field required"},)"
                          R"({"field":"months_duration","message":"Field required"},)"
                          R"({"field":"daily_salary","message":"Field required"},)"
                          R"({"field":"department_id","message":"Input should be a valid UUID"}]}})");
    CHECK(message_of(http_post(f.port, budgets + "/" + id + "/entries",
                               R"({"department_id":"6d0c5ab4-0000-4000-8000-000000000000","start_date":"2024-01-01",)"
                               R"("months_duration":1,"daily_salary":1})",
                               f.admin)) == "The department or person of the entry does not exist.");
    CHECK(f.server.query("SELECT count(*) FROM budget_entry") == "0");

    // Another production's budget is not reached through this one.
    const std::string other = f.server.create_project(f.admin, "Other");
    CHECK(http_get(f.port, "/data/projects/" + other + "/budgets/" + id, f.admin).status == 404);
    CHECK(http_call(f.port, "DELETE", "/data/projects/" + other + "/budgets/" + id, f.admin).status == 404);

    f.join("user");
    f.join("manager", "manager");
    CHECK(http_get(f.port, budgets, f.token("user")).status == 403);
    CHECK(http_post(f.port, budgets, R"({"name":"X"})", f.token("user")).status == 403);
    CHECK(json_array(http_get(f.port, budgets, f.token("manager")))->size() == 1);
}
