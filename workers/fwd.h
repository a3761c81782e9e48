#pragma once
// workers/fwd.h: forward declarations of the job system's types.

namespace slate::workers {
class WorkerPool;
struct JobResult;
class JobHandlers;
struct MovieProbe;
struct NormaliseTarget;
struct NormaliseResult;
struct MovieFrame;
struct MoviePicture;
struct TileGeometry;
struct TileSheet;
} // namespace slate::workers
