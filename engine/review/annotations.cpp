#include "engine/review/annotations.h"

#include "engine/error.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <set>
#include <sstream>

namespace slate::engine::services {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

Array::Ptr parse_array(const std::string& json, const char* what) {
    if (json.empty())
        return new Array;
    try {
        Poco::JSON::Parser parser;
        const auto parsed = parser.parse(json);
        if (parsed.isEmpty())
            return new Array;
        if (parsed.type() == typeid(Array::Ptr))
            return parsed.extract<Array::Ptr>();
    } catch (const Poco::Exception&) {
    }
    throw_bad_request(std::string(what) + " must be a list of annotations.");
}

Object::Ptr object_at(Array::Ptr list, unsigned index, const char* what) {
    auto item = list->getObject(index);
    if (!item || !item->has("time"))
        throw_bad_request(std::string(what) + " entries need a time.");
    return item;
}

double time_of(Object::Ptr annotation) {
    try {
        return annotation->get("time").convert<double>();
    } catch (const Poco::Exception&) {
        throw_bad_request("An annotation time must be a number.");
    }
}

/// The drawing's objects (created empty when missing).
Array::Ptr objects_of(Object::Ptr annotation) {
    auto drawing = annotation->getObject("drawing");
    if (!drawing) {
        drawing = new Object;
        annotation->set("drawing", drawing);
    }
    auto objects = drawing->getArray("objects");
    if (!objects) {
        objects = new Array;
        drawing->set("objects", objects);
    }
    return objects;
}

std::string id_of(const Poco::Dynamic::Var& object) {
    if (object.type() != typeid(Object::Ptr))
        return "";
    const auto value = object.extract<Object::Ptr>();
    if (!value->has("id") || value->isNull("id"))
        return "";
    return value->get("id").toString();
}

void ensure_ids(Array::Ptr objects, const std::function<std::string()>& make_id) {
    for (unsigned i = 0; i < objects->size(); ++i) {
        auto object = objects->getObject(i);
        if (object && id_of(objects->get(i)).empty())
            object->set("id", make_id());
    }
}

Object::Ptr find_time(Array::Ptr annotations, double time) {
    Object::Ptr found;
    for (unsigned i = 0; i < annotations->size(); ++i) {
        auto annotation = annotations->getObject(i);
        if (annotation && annotation->has("time") && time_of(annotation) == time)
            found = annotation; // the last one of a time wins, as a dict built in order
    }
    return found;
}

} // namespace

std::string merge_annotations(const std::string& previous_json, const std::string& additions_json,
                              const std::string& updates_json, const std::string& deletions_json,
                              const std::function<std::string()>& make_id) {
    auto annotations = parse_array(previous_json, "annotations");
    const auto additions = parse_array(additions_json, "additions");
    const auto updates = parse_array(updates_json, "updates");
    const auto deletions = parse_array(deletions_json, "deletions");
    for (unsigned i = 0; i < annotations->size(); ++i)
        if (const auto annotation = annotations->getObject(i))
            ensure_ids(objects_of(annotation), make_id);

    for (unsigned i = 0; i < additions->size(); ++i) {
        const auto addition = object_at(additions, i, "additions");
        auto previous = find_time(annotations, time_of(addition));
        auto added = objects_of(addition);
        ensure_ids(added, make_id);
        if (!previous) {
            annotations->add(addition);
            continue;
        }
        auto objects = objects_of(previous);
        std::set<std::string> known;
        for (unsigned k = 0; k < objects->size(); ++k)
            known.insert(id_of(objects->get(k)));
        for (unsigned k = 0; k < added->size(); ++k)
            if (!known.count(id_of(added->get(k))))
                objects->add(added->get(k));
    }

    for (unsigned i = 0; i < updates->size(); ++i) {
        const auto update = object_at(updates, i, "updates");
        auto annotation = find_time(annotations, time_of(update));
        if (!annotation)
            continue;
        auto previous = objects_of(annotation);
        const auto changed = objects_of(update);
        std::set<std::string> previous_ids, changed_ids;
        for (unsigned k = 0; k < previous->size(); ++k)
            previous_ids.insert(id_of(previous->get(k)));
        for (unsigned k = 0; k < changed->size(); ++k)
            if (!id_of(changed->get(k)).empty())
                changed_ids.insert(id_of(changed->get(k)));
        Array::Ptr result = new Array;
        for (unsigned k = 0; k < previous->size(); ++k)
            if (!changed_ids.count(id_of(previous->get(k))))
                result->add(previous->get(k));
        for (unsigned k = 0; k < changed->size(); ++k) {
            const std::string id = id_of(changed->get(k));
            if (!id.empty() && previous_ids.count(id))
                result->add(changed->get(k));
        }
        annotation->getObject("drawing")->set("objects", result);
    }

    for (unsigned i = 0; i < deletions->size(); ++i) {
        const auto deletion = object_at(deletions, i, "deletions");
        auto annotation = find_time(annotations, time_of(deletion));
        if (!annotation)
            continue;
        std::set<std::string> doomed;
        if (const auto ids = deletion->getArray("objects"))
            for (unsigned k = 0; k < ids->size(); ++k)
                doomed.insert(ids->get(k).toString());
        auto previous = objects_of(annotation);
        Array::Ptr kept = new Array;
        for (unsigned k = 0; k < previous->size(); ++k)
            if (!doomed.count(id_of(previous->get(k))))
                kept->add(previous->get(k));
        annotation->getObject("drawing")->set("objects", kept);
    }

    Array::Ptr result = new Array;
    for (unsigned i = 0; i < annotations->size(); ++i) {
        auto annotation = annotations->getObject(i);
        if (annotation && objects_of(annotation)->size() > 0)
            result->add(annotations->get(i));
    }
    std::ostringstream out;
    result->stringify(out);
    return out.str();
}

} // namespace slate::engine::services
