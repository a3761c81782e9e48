#pragma once
// tests/support/second_process.h: the real `slate serve` binary, started on the database of an
// in-process TestServer with its secret key, as a second process behind a load balancer would
// be; stopped by PID.

#include <filesystem>
#include <memory>

namespace Poco {
class ProcessHandle;
}

namespace slate::test {

class TestServer;

class SecondProcess {
public:
    /// Starts it on a free port and waits until it answers (fails the test after 30 s).
    explicit SecondProcess(TestServer& server);
    ~SecondProcess();
    SecondProcess(const SecondProcess&) = delete;
    SecondProcess& operator=(const SecondProcess&) = delete;
    int port() const { return m_port; }

private:
    int m_port = 0;
    std::filesystem::path m_data_dir;
    std::unique_ptr<Poco::ProcessHandle> m_handle;
};

} // namespace slate::test
