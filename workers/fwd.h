#pragma once
// workers/fwd.h: forward declarations of the job system's types.

namespace slate::workers {
class WorkerPool;
struct JobResult;
class JobHandlers;
}
