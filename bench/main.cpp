// bench/main.cpp: slate-bench, the benchmark runner. Prints figures; decides nothing.

#include "crud_bench.h"

#include "engine/error.h"
#include "engine/log.h"

#include <cstdio>
#include <cstring>
#include <string>

int main(int argc, char** argv) {
    const char* usage =
        "usage: slate-bench crud [--tasks N] [--requests N]\n"
        "  crud   GET /data/tasks (paginated) and /data/tasks/{id} at 2 and 16 clients,\n"
        "         beside the bare SQL, on a production loaded into a throw-away cluster\n";
    if (argc < 2 || std::strcmp(argv[1], "crud") != 0) {
        std::fputs(usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    slate::log::set_level(slate::log::Level::warning);
    slate::bench::CrudBenchOptions options;
    for (int i = 2; i + 1 < argc; i += 2) {
        const std::string name = argv[i];
        const int value = std::atoi(argv[i + 1]);
        if (name == "--tasks" && value > 0)
            options.tasks = value;
        else if (name == "--requests" && value > 0)
            options.requests = value;
        else {
            std::fputs(usage, stderr);
            return 2;
        }
    }
    try {
        return slate::bench::run_crud_bench(options);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "slate-bench: %s\n", e.what());
        return 1;
    }
}
