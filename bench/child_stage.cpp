#include "child_stage.h"

#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <chrono>
#include <cstring>
#include <stdexcept>

extern char** environ;

namespace slate::bench {
namespace {

double seconds_of(const timeval& value) {
    return value.tv_sec + value.tv_usec / 1e6;
}

} // namespace

HeldChild::HeldChild(const std::function<void(int report, int hold)>& work) {
    int report[2], hold[2];
    if (pipe(report) != 0 || pipe(hold) != 0)
        throw std::runtime_error("pipe failed");
    std::fflush(nullptr); // the child must not print what the parent has buffered
    m_pid = fork();
    if (m_pid == 0) {
        close(report[0]);
        close(hold[1]);
        work(report[1], hold[0]);
        _exit(0);
    }
    close(report[1]);
    close(hold[0]);
    m_report = report[0];
    m_hold = hold[1];
}

HeldChild::~HeldChild() {
    release();
    close(m_report);
    int status = 0;
    waitpid(m_pid, &status, 0);
}

bool HeldChild::read(void* into, std::size_t size) {
    auto* bytes = static_cast<char*>(into);
    while (size > 0) {
        const ssize_t got = ::read(m_report, bytes, size);
        if (got <= 0)
            return false;
        bytes += got;
        size -= static_cast<std::size_t>(got);
    }
    return true;
}

void HeldChild::release() {
    if (m_hold >= 0)
        close(m_hold);
    m_hold = -1;
}

StageCost run_in_child(const std::function<std::string()>& work) {
    StageCost cost;
    int reason_pipe[2];
    if (pipe(reason_pipe) != 0) {
        cost.reason = "pipe failed";
        return cost;
    }
    const auto begin = std::chrono::steady_clock::now();
    std::fflush(nullptr); // the child must not print what the parent has buffered
    const pid_t child = fork();
    if (child == 0) {
        close(reason_pipe[0]);
        const std::string reason = work();
        if (!reason.empty() && write(reason_pipe[1], reason.data(), reason.size()) < 0)
            _exit(3);
        _exit(reason.empty() ? 0 : 1);
    }
    close(reason_pipe[1]);
    char buffer[512];
    ssize_t got = 0;
    while ((got = read(reason_pipe[0], buffer, sizeof buffer)) > 0)
        cost.reason.append(buffer, size_t(got));
    close(reason_pipe[0]);
    int status = 0;
    rusage usage{};
    if (child < 0 || wait4(child, &status, 0, &usage) != child) {
        cost.reason = "the child process could not be run";
        return cost;
    }
    cost.wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
    cost.cpu = seconds_of(usage.ru_utime) + seconds_of(usage.ru_stime);
    cost.peak_rss_kib = usage.ru_maxrss;
    cost.ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
    if (!cost.ok && cost.reason.empty())
        cost.reason = "the child process failed";
    return cost;
}

StageCost run_program(const std::vector<std::string>& arguments) {
    StageCost cost;
    std::vector<char*> argv;
    for (const std::string& argument : arguments)
        argv.push_back(const_cast<char*>(argument.c_str()));
    argv.push_back(nullptr);
    const auto begin = std::chrono::steady_clock::now();
    pid_t child = 0;
    const int spawned = posix_spawnp(&child, argv[0], nullptr, nullptr, argv.data(), environ);
    if (spawned != 0) {
        cost.reason = spawned == ENOENT ? "absent" : std::strerror(spawned);
        return cost;
    }
    int status = 0;
    rusage usage{};
    if (wait4(child, &status, 0, &usage) != child) {
        cost.reason = "wait failed";
        return cost;
    }
    cost.wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
    cost.cpu = seconds_of(usage.ru_utime) + seconds_of(usage.ru_stime);
    cost.peak_rss_kib = usage.ru_maxrss;
    cost.ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
    if (!cost.ok)
        cost.reason = "exit status " + std::to_string(WEXITSTATUS(status));
    return cost;
}

} // namespace slate::bench
