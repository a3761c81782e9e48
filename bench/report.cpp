#include "report.h"

#include "report_media.h"
#include "report_routes.h"
#include "report_wrk.h"

#include "engine/config.h"
#include "engine/db/database.h"
#include "engine/db/migrate.h"
#include "engine/error.h"
#include "engine/samples/sample_production.h"

#include <signal.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace slate::bench {

namespace fs = std::filesystem;

namespace {

/// `slate serve` on the data folder, in a process of its own (its memory is measured alone).
class ServerProcess {
public:
    ServerProcess(const std::string& data_dir, int port, const std::string& log_file) {
        m_pid = fork();
        if (m_pid < 0)
            throw std::runtime_error("fork failed");
        if (m_pid == 0) {
            const std::string port_text = std::to_string(port);
            if (FILE* log = std::freopen(log_file.c_str(), "w", stdout))
                dup2(fileno(log), 2);
            execl(SLATE_BINARY, SLATE_BINARY, "serve", "--data", data_dir.c_str(), "--host", "127.0.0.1", "--port",
                  port_text.c_str(), static_cast<char*>(nullptr));
            _exit(127);
        }
        m_target.port = port;
        for (int i = 0; i < 600; ++i) { // up to a minute
            if (probe(m_target, {"GET", "/api/"}).status == 200)
                return;
            int status = 0;
            if (waitpid(m_pid, &status, WNOHANG) == m_pid) {
                m_pid = -1;
                throw std::runtime_error("slate serve stopped at start; see " + log_file);
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        throw std::runtime_error("slate serve did not answer within a minute; see " + log_file);
    }
    ~ServerProcess() {
        if (m_pid <= 0)
            return;
        kill(m_pid, SIGTERM);
        int status = 0;
        waitpid(m_pid, &status, 0);
    }
    const Target& target() const { return m_target; }
    /// The process's peak resident memory so far (VmHWM), in MiB.
    double peak_rss_mib() const {
        std::ifstream status("/proc/" + std::to_string(m_pid) + "/status");
        for (std::string line; std::getline(status, line);)
            if (line.rfind("VmHWM:", 0) == 0)
                return std::atof(line.c_str() + 6) / 1024.0;
        return 0;
    }

private:
    pid_t m_pid = -1;
    Target m_target;
};

int free_port() {
    // The kernel's next ephemeral port is free enough for a benchmark on loopback.
    return 20000 + static_cast<int>(getpid() % 20000);
}

std::string machine_description(engine::db::Connection& c) {
    std::string cpu = "unknown CPU";
    std::ifstream info("/proc/cpuinfo");
    for (std::string line; std::getline(info, line);)
        if (line.rfind("model name", 0) == 0) {
            cpu = line.substr(line.find(':') + 2);
            break;
        }
    double memory_gib = 0;
    std::ifstream meminfo("/proc/meminfo");
    for (std::string line; std::getline(meminfo, line);)
        if (line.rfind("MemTotal:", 0) == 0)
            memory_gib = std::atof(line.c_str() + 9) / 1024.0 / 1024.0;
    utsname name{};
    uname(&name);
    char text[512];
    std::snprintf(text, sizeof text, "%s, %u cores, %.1f GiB of memory, Linux %s; %s", cpu.c_str(),
                  std::thread::hardware_concurrency(), memory_gib, name.release,
                  std::string(c.exec("SELECT split_part(version(), ' on ', 1)").get(0, 0)).c_str());
    return text;
}

/// A body's size as a reader takes it in: "812 B", "150 KB", "77.4 MB".
std::string answer_size(std::size_t bytes) {
    char text[32];
    if (bytes < 1000)
        std::snprintf(text, sizeof text, "%zu B", bytes);
    else if (bytes < 1000 * 1000)
        std::snprintf(text, sizeof text, "%.0f KB", double(bytes) / 1e3);
    else
        std::snprintf(text, sizeof text, "%.1f MB", double(bytes) / 1e6);
    return text;
}

struct Measure {
    RouteCase route;
    std::string missing; ///< why it was not measured: "404", "error 500", ...
    double floor = 0;
    std::size_t answer_bytes = 0; ///< the body of Slate's first answer
    std::vector<WrkFigures> slate, other; ///< per connection count
    std::string other_missing;
};

/// Measures `request` at each connection count, or says why not (a route the server lacks).
std::vector<WrkFigures> measure(const Target& target, const Request& request, const ReportOptions& options,
                                const std::string& scratch, std::string& missing, std::size_t* answer_bytes = nullptr) {
    const Probe first = probe(target, request);
    if (answer_bytes)
        *answer_bytes = first.body.size();
    if (first.status == 404 || first.status == 405) {
        missing = "not answered (" + std::to_string(first.status) + ")";
        return {};
    }
    if (first.status < 200 || first.status >= 300) {
        missing = "error " + std::to_string(first.status) + ": " + first.body.substr(0, 120);
        return {};
    }
    std::vector<WrkFigures> figures;
    for (int connections : options.connections)
        figures.push_back(run_wrk(target, request, connections, options.seconds, scratch));
    return figures;
}

std::string figure(double value) {
    char text[32];
    std::snprintf(text, sizeof text, value >= 100 ? "%.0f" : value >= 10 ? "%.1f" : "%.2f", value);
    return text;
}

/// Whether wrk saw at least one answer: a route slower than the measurement has no figures.
bool answered(const WrkFigures& f) {
    return f.requests > 0 || f.per_second > 0;
}

/// The measurement's length as it reads: "3", "0.5".
std::string duration_text(const ReportOptions& options) {
    char text[32];
    std::snprintf(text, sizeof text, "%g", options.seconds);
    return text;
}

/// What a table cell says of a measurement without answers.
std::string no_answer(const ReportOptions& options) {
    return "no answer in " + duration_text(options) + " s ¹";
}

void write_plots(const std::vector<Measure>& measures, const ReportOptions& options, std::ostream& md) {
    const fs::path out(options.out);
    std::ofstream data(out / "routes.dat");
    data << "# route";
    for (int c : options.connections)
        data << "\tmedian_" << c;
    for (int c : options.connections)
        data << "\trps_" << c;
    data << "\n";
    int rows = 0;
    for (const auto& m : measures) {
        // A measurement without answers is left out ("?": gnuplot draws no bar), not drawn as 0.
        if (std::none_of(m.slate.begin(), m.slate.end(), answered))
            continue;
        data << '"' << m.route.name << '"';
        for (const auto& f : m.slate)
            data << '\t' << (answered(f) ? std::to_string(f.median_ms) : "?");
        for (const auto& f : m.slate)
            data << '\t' << (answered(f) ? std::to_string(f.per_second) : "?");
        data << "\n";
        ++rows;
    }
    data.close();
    if (rows == 0 || std::system("command -v gnuplot >/dev/null 2>&1") != 0) {
        md << "\n(No plots: " << (rows ? "gnuplot is not installed (Debian: gnuplot-nox)" : "no route measured")
           << ".)\n";
        return;
    }
    const std::size_t n = options.connections.size();
    std::ofstream script(out / "plots.gp");
    script << "set terminal pngcairo size 1100,600 font 'sans,10'\n"
              "set datafile separator '\\t'\nset datafile missing '?'\n"
              "set style data histogram\nset style histogram clustered gap 1\n"
              "set style fill solid 0.85 border -1\nset xtics rotate by -30 left\nset grid ytics\n"
              "set key top left\nset bmargin 9\nset rmargin 8\n";
    script << "set output 'latency.png'\nset title 'Median latency by route and connections (ms, log scale)'\n"
              "set logscale y\nset ylabel 'milliseconds'\nplot ";
    for (std::size_t i = 0; i < n; ++i)
        script << (i ? ", " : "") << "'routes.dat' using " << i + 2 << ":xtic(1) title '"
               << options.connections[i] << " connection" << (options.connections[i] > 1 ? "s" : "") << "'";
    script << "\nset output 'throughput.png'\nset title 'Throughput by route and connections (requests/s)'\n"
              "unset logscale y\nset ylabel 'requests per second'\nplot ";
    for (std::size_t i = 0; i < n; ++i)
        script << (i ? ", " : "") << "'routes.dat' using " << n + i + 2 << ":xtic(1) title '"
               << options.connections[i] << " connection" << (options.connections[i] > 1 ? "s" : "") << "'";
    script << "\n";
    script.close();
    const std::string command = "cd '" + out.string() + "' && gnuplot plots.gp 2>gnuplot.log";
    if (std::system(command.c_str()) != 0) {
        md << "\n(No plots: gnuplot failed, see gnuplot.log.)\n";
        return;
    }
    md << "\n![Median latency by route](latency.png)\n\n![Throughput by route](throughput.png)\n";
}

void write_report(const std::vector<Measure>& measures, const ReportOptions& options, const std::string& machine,
                  double peak_rss, const engine::samples::SampleSummary& sample, double load_seconds,
                  const std::vector<MediaRow>& media) {
    std::ofstream md(fs::path(options.out) / "report.md");
    char when[32];
    const std::time_t now = std::time(nullptr);
    std::strftime(when, sizeof when, "%Y-%m-%d %H:%M UTC", std::gmtime(&now));
    md << "# Slate benchmark report\n\n" << when << ". Machine: " << machine << ".\n\n";
    md << "Sample production `" << options.size << "` (seed " << options.seed << "; loaded in "
       << figure(load_seconds) << " s, without its media files): ";
    for (std::size_t i = 0; i < sample.rows.size(); ++i)
        md << (i ? ", " : "") << sample.rows[i].second << " " << sample.rows[i].first;
    md << ". Each figure: wrk on loopback for " << options.seconds << " s (" << (options.connections.size())
       << " connection counts), `slate serve` in its own process; the floor is the median time of one SQL "
          "statement reading (or writing) the same rows over libpq, without HTTP or JSON.\n\n";
    md << "Server peak memory (VmHWM of `slate serve`): **" << figure(peak_rss) << " MiB**.\n\n";
    md << "| route | answer | connections | median ms | p99 ms | req/s | errors | floor ms | median / floor |"
       << (options.against.empty() ? "" : " other median ms | other req/s | req/s ratio |") << "\n";
    md << "|---|---:|---:|---:|---:|---:|---:|---:|---:|" << (options.against.empty() ? "" : "---:|---:|---:|")
       << "\n";
    std::vector<const Measure*> missing;
    bool unanswered = false;
    for (const auto& m : measures) {
        if (m.slate.empty()) {
            missing.push_back(&m);
            continue;
        }
        for (std::size_t i = 0; i < m.slate.size(); ++i) {
            const auto& f = m.slate[i];
            md << "| " << (i ? "" : m.route.name + " `" + m.route.method + "`") << " | "
               << (i ? "" : answer_size(m.answer_bytes)) << " | " << options.connections[i];
            if (answered(f))
                md << " | " << figure(f.median_ms) << " | " << figure(f.p99_ms) << " | " << figure(f.per_second);
            else
                md << " | " << no_answer(options) << " | | ";
            md << " | " << f.errors << " | " << (i ? "" : figure(m.floor)) << " | "
               << (m.floor > 0 && answered(f) ? figure(f.median_ms / m.floor) : "") << " |";
            unanswered = unanswered || !answered(f);
            if (!options.against.empty()) {
                if (i < m.other.size() && !answered(m.other[i])) {
                    md << " " << no_answer(options) << " | | |";
                    unanswered = true;
                } else if (i < m.other.size())
                    md << " " << figure(m.other[i].median_ms) << " | " << figure(m.other[i].per_second) << " | "
                       << (answered(f) && m.other[i].per_second > 0 ? figure(f.per_second / m.other[i].per_second)
                                                                    : "")
                       << " |";
                else
                    md << " " << (i ? "" : m.other_missing) << " | | |";
            }
            md << "\n";
        }
    }
    if (unanswered)
        md << "\n¹ Not one answer arrived within the " << duration_text(options)
           << " s of the measurement (wrk counts only the answers that arrive before it ends): at that many "
              "connections the route takes longer than the measurement. No figure is given, and the plots "
              "leave it out.\n";
    if (!missing.empty()) {
        md << "\nRoutes not measured (not written yet, or refused):\n\n";
        for (const auto* m : missing)
            md << "- " << m->route.name << ": `" << m->route.method << " " << m->route.path << "` — " << m->missing
               << "\n";
    }
    write_plots(measures, options, md);
    if (options.media)
        write_media_section(media, options.out, md);
}

} // namespace

int run_report(const ReportOptions& options) {
    const auto size = engine::samples::sample_size(options.size); // a bad size fails before any work
    std::optional<Target> against;
    if (!options.against.empty()) {
        against = parse_target(options.against);
        const Probe answer = probe(*against, {"GET", "/api/"});
        if (answer.status == 0)
            throw std::runtime_error("cannot reach " + against->url() + " (--against): " + answer.body);
    }
    if (!wrk_available())
        throw std::runtime_error("wrk is not installed (Debian: apt-get install wrk)");
    fs::create_directories(options.out);
    char pattern[] = "/tmp/slate-report-XXXXXX";
    const std::string data_dir = mkdtemp(pattern);
    setenv("DB_HOST", "", 1); // a cluster of its own under the data folder, for the server too
    setenv("EVENT_STREAM_PORT", "0", 1);
    setenv("BCRYPT_LOG_ROUNDS", "4", 1);
    setenv("SECRET_KEY", "slate-bench-report-secret-key-slate-bench-report", 1);
    engine::Config config = engine::Config::from_environment();
    config.data_dir = data_dir;
    int status = 0;
    {
        engine::db::Database database(config);
        engine::db::Connection c(database.settings());
        engine::db::upgrade_database(c);
        engine::db::init_data(c);
        std::fprintf(stderr, "loading the %s sample production...\n", options.size.c_str());
        engine::samples::SampleOptions sample_options;
        sample_options.size = size;
        sample_options.seed = options.seed;
        const auto loading = std::chrono::steady_clock::now();
        const auto sample = engine::samples::load_sample_production(c, config, sample_options);
        const double load_seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - loading).count();
        std::fprintf(stderr, "loaded in %.0f s\n", load_seconds);
        auto routes = report_routes(c, sample.project_id, sample.artist_email);
        const std::string machine = machine_description(c);
        std::vector<Measure> measures;
        for (auto& route : routes)
            measures.push_back({route, "", floor_ms(c, route), 0, {}, {}, ""});
        std::string other_manager, other_artist;
        if (against) {
            other_manager = login(*against, sample.manager_email, engine::samples::sample_password);
            other_artist = login(*against, sample.artist_email, engine::samples::sample_password);
        }
        double peak_rss = 0;
        {
            ServerProcess server(data_dir, free_port(), (fs::path(options.out) / "server.log").string());
            const std::string manager = login(server.target(), sample.manager_email, engine::samples::sample_password);
            const std::string artist = login(server.target(), sample.artist_email, engine::samples::sample_password);
            for (auto& m : measures) {
                std::fprintf(stderr, "  %s\n", m.route.name.c_str());
                const Request request{m.route.method, m.route.path,
                                      m.route.asker == Asker::artist ? artist : manager, m.route.body,
                                      m.route.turns};
                m.slate = measure(server.target(), request, options, data_dir, m.missing, &m.answer_bytes);
                if (against) {
                    Request other = request;
                    other.token = m.route.asker == Asker::artist ? other_artist : other_manager;
                    m.other = measure(*against, other, options, data_dir, m.other_missing);
                }
            }
            peak_rss = server.peak_rss_mib();
        }
        std::vector<MediaRow> media; // once the server is gone: the cores are the media's alone
        if (options.media)
            media = measure_media(c, config, sample.project_id, SLATE_SAMPLES_DIR, fs::path(data_dir) / "media",
                                  options.clip_seconds);
        write_report(measures, options, machine, peak_rss, sample, load_seconds, media);
        std::printf("%s\n", (fs::path(options.out) / "report.md").c_str());
    }
    fs::remove_all(data_dir);
    return status;
}

} // namespace slate::bench
