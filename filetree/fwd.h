#pragma once
// filetree/fwd.h: forward declarations of the file-tree library's types, for headers that only
// name them.

namespace slate::filetree {
class FileTree;
struct Mode;
struct Section;
class MalformedTree;
struct Record;
struct Entity;
struct AssetInstance;
struct Context;
struct GuessCandidate;
enum class EntityKind;
} // namespace slate::filetree
