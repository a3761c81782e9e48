#pragma once
// bench/picture_bench.h: `slate-bench pictures`: Zou's picture work on a batch of mixed
// images, on every core, beside libvips' own vipsthumbnail when it is installed.

namespace slate::bench {

struct PictureBenchOptions {
    int count = 200;
};

int run_picture_bench(const PictureBenchOptions& options);

} // namespace slate::bench
