#pragma once
// engine/samples/sample_random.h: the sample production's randomness: the same seed gives
// the same production on every machine (its own generator, no std:: distributions whose
// results differ between standard libraries), and ids derived from the seed.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace slate::engine::samples {

/// splitmix64: small, fast, well mixed, and specified bit for bit.
class Rng {
public:
    explicit Rng(uint64_t seed) : m_state(seed) {}
    Rng(uint64_t seed, uint64_t stream, uint64_t index) : m_state(mix(mix(seed ^ mix(stream)) + index)) {}

    uint64_t next() {
        m_state += 0x9e3779b97f4a7c15ULL;
        return mix(m_state);
    }
    /// 0 ≤ value < n (n > 0).
    int below(int n) { return static_cast<int>(next() % static_cast<uint64_t>(n)); }
    /// lo ≤ value ≤ hi.
    int between(int lo, int hi) { return lo + below(hi - lo + 1); }
    /// True with probability `p`.
    bool chance(double p) { return static_cast<double>(next() >> 11) * 0x1.0p-53 < p; }
    template <typename T> const T& pick(const std::vector<T>& values) { return values[below(static_cast<int>(values.size()))]; }

    static uint64_t mix(uint64_t z) {
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }

private:
    uint64_t m_state;
};

/// The id of the `index`th row of a kind (`stream`) of the production of `seed`: a version 4
/// uuid, the same on every load of that seed.
inline std::string sample_uuid(uint64_t seed, uint64_t stream, uint64_t index) {
    Rng rng(seed, stream, index);
    const uint64_t high = (rng.next() & 0xffffffffffff0fffULL) | 0x0000000000004000ULL;
    const uint64_t low = (rng.next() & 0x3fffffffffffffffULL) | 0x8000000000000000ULL;
    static constexpr char digits[] = "0123456789abcdef";
    std::string text;
    text.reserve(36);
    for (int i = 0; i < 32; ++i) {
        if (i == 8 || i == 12 || i == 16 || i == 20)
            text.push_back('-');
        const uint64_t word = i < 16 ? high : low;
        text.push_back(digits[(word >> (60 - 4 * (i % 16))) & 0xf]);
    }
    return text;
}

} // namespace slate::engine::samples
