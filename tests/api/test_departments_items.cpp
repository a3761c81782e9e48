// tests/api/test_departments_items.cpp: the software licences and hardware items of
// departments (Zou 1.0.67's departments blueprint and tests/blueprints/departments).
#include <catch2/catch.hpp>

#include "api/projects_fixture.h"

using namespace slate::test;

TEST_CASE("departments link software licences and hardware items", "[api][pg][departments]") {
    ProductionFixture f;
    const std::string department = f.id_of("department", "Modeling");
    const auto software = http_post(f.port, "/data/softwares",
                                    R"({"name":"Blender","short_name":"bl","file_extension":".blend"})", f.admin);
    REQUIRE(software.status == 201);
    const std::string software_id = software.json()->getValue<std::string>("id");
    const auto hardware =
        http_post(f.port, "/data/hardware-items", R"({"name":"Wacom Tablet","short_name":"wacom"})", f.admin);
    REQUIRE(hardware.status == 201);
    const std::string hardware_id = hardware.json()->getValue<std::string>("id");

    CHECK(http_get(f.port, "/data/departments/software-licenses", f.admin).body == "{}");
    CHECK(http_get(f.port, "/data/departments/hardware-items", f.admin).body == "{}");

    const std::string licences = "/data/departments/" + department + "/software-licenses";
    const auto linked = http_post(f.port, licences, R"({"software_id":")" + software_id + R"("})", f.admin);
    REQUIRE(linked.status == 201);
    CHECK(linked.json()->getValue<std::string>("type") == "SoftwareDepartmentLink");
    CHECK(linked.json()->getValue<std::string>("department_id") == department);
    CHECK(linked.json()->getValue<std::string>("software_id") == software_id);
    // Linking again answers the same link.
    CHECK(http_post(f.port, licences, R"({"software_id":")" + software_id + R"("})", f.admin)
              .json()
              ->getValue<std::string>("id") == linked.json()->getValue<std::string>("id"));
    const auto all = http_get(f.port, "/data/departments/software-licenses", f.admin).json();
    REQUIRE(all->has(department));
    CHECK(all->getArray(department)->getObject(0)->getValue<std::string>("name") == "Blender");
    CHECK(all->getArray(department)->getObject(0)->getValue<std::string>("type") == "Software");
    const auto listed = json_array(http_get(f.port, licences + "/" + software_id, f.admin));
    REQUIRE(listed->size() == 1);
    CHECK(listed->getObject(0)->getValue<std::string>("id") == software_id);

    const std::string items = "/data/departments/" + department + "/hardware-items";
    const auto item = http_post(f.port, items, R"({"hardware_item_id":")" + hardware_id + R"("})", f.admin);
    REQUIRE(item.status == 201);
    CHECK(item.json()->getValue<std::string>("type") == "HardwareItemDepartmentLink");
    CHECK(item.json()->getValue<std::string>("hardware_item_id") == hardware_id);
    CHECK(http_get(f.port, "/data/departments/hardware-items", f.admin)
              .json()
              ->getArray(department)
              ->getObject(0)
              ->getValue<std::string>("name") == "Wacom Tablet");

    CHECK(http_call(f.port, "DELETE", licences + "/" + software_id, f.admin).status == 204);
    CHECK(http_get(f.port, licences + "/" + software_id, f.admin).body == "[]");
    CHECK(http_call(f.port, "DELETE", items + "/" + hardware_id, f.admin).status == 204);
    CHECK(http_get(f.port, "/data/departments/hardware-items", f.admin).body == "{}");
}

TEST_CASE("department item requests are for admins and checked", "[api][pg][departments]") {
    ProductionFixture f;
    const std::string department = f.id_of("department", "Modeling");
    const std::string unknown = "1a2b3c4d-0000-4000-8000-000000000000";
    const std::string licences = "/data/departments/" + department + "/software-licenses";
    const std::string manager = f.token("manager");
    CHECK(http_get(f.port, "/data/departments/software-licenses", manager).status == 403);
    CHECK(http_post(f.port, licences, R"({"software_id":")" + unknown + R"("})", manager).status == 403);
    CHECK(http_call(f.port, "DELETE", licences + "/" + unknown, manager).status == 403);

    const auto missing = http_post(f.port, licences, "{}", f.admin);
    CHECK(missing.status == 400);
    CHECK(message_of(missing) == "Validation error.");
    CHECK(message_of(http_post(f.port, licences, R"({"software_id":"abc"})", f.admin)) == "Validation error.");
    const auto bad_department = http_post(f.port, "/data/departments/abc/software-licenses",
                                          R"({"software_id":")" + unknown + R"("})", f.admin);
    CHECK(bad_department.status == 400);
    CHECK(message_of(bad_department) == "Wrong UUID format.");
    CHECK(http_post(f.port, licences, R"({"software_id":")" + unknown + R"("})", f.admin).status == 404);
    CHECK(http_post(f.port, "/data/departments/" + unknown + "/hardware-items",
                    R"({"hardware_item_id":")" + unknown + R"("})", f.admin)
              .status == 404);
    CHECK(http_call(f.port, "DELETE", licences + "/" + unknown, f.admin).status == 404);
    CHECK(http_call(f.port, "DELETE", licences + "/abc", f.admin).status == 400);
    CHECK(f.server.query("SELECT count(*) FROM software_department_link") == "0");
}
