// tests/main.cpp: Catch2's runner, with Slate's logging kept quiet unless asked for.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include "engine/log.h"

#include <cstdlib>

int main(int argc, char** argv) {
    const char* verbose = std::getenv("SLATE_TEST_LOG");
    slate::log::set_level(verbose ? slate::log::Level::debug : slate::log::Level::error);
    return Catch::Session().run(argc, argv);
}
