#include "engine/samples/sample_names.h"

#include <map>

namespace slate::engine::samples::names {

const std::vector<std::string> first_names = {
    "Alice", "Bruno", "Chloe", "Daniel", "Elena", "Farid", "Greta", "Hugo", "Ines", "Jonas", "Kenji", "Lea",
    "Marco", "Nadia", "Oscar", "Paula", "Quentin", "Rosa", "Samir", "Tess", "Ugo", "Vera", "Wen", "Xavier",
    "Yara", "Zoe", "Amir", "Bianca", "Carlos", "Dalia", "Emil", "Fatou", "Gabriel", "Hana", "Ivan", "Julie",
    "Karim", "Lina", "Mathis", "Nora", "Olga", "Pierre", "Rania", "Sven", "Tomas", "Uma", "Victor", "Wanda"};

const std::vector<std::string> last_names = {
    "Martin", "Bernard", "Dubois", "Moreau", "Laurent", "Garcia", "Nguyen", "Rossi", "Schmidt", "Kowalski",
    "Silva", "Tanaka", "Okafor", "Johansson", "Novak", "Haddad", "Fischer", "Lopez", "Petit", "Leroy",
    "Fournier", "Girard", "Bonnet", "Dupont", "Lambert", "Fontaine", "Rousseau", "Vincent", "Muller", "Meyer",
    "Costa", "Ferrari", "Yilmaz", "Kim", "Chen", "Singh", "Ivanova", "Andersen", "Horvath", "Morel"};

const std::vector<std::string> title_words = {
    "Lighthouse", "Comet", "Orchard", "Harbour", "Glacier", "Lantern", "Meadow", "Compass", "Mountain",
    "Kite", "River", "Clockwork", "Island", "Forest", "Caravan", "Moon", "Storm", "Garden", "Tower", "Voyage"};

const std::vector<std::string> places = {
    "Harbour", "Market", "Cliffs", "Old Town", "Forest", "Cave", "Bridge", "Rooftops", "Station", "Desert",
    "Lake", "Workshop", "Castle", "Valley", "Beach", "Library", "Ship", "Tunnel", "Square", "Observatory"};

const std::vector<std::string> comment_notes = {
    "First pass, feedback welcome.",
    "Updated the timing on the second half.",
    "Looks good to me, sending to the director.",
    "Can we push the silhouette a bit more?",
    "The contact shadows feel too soft.",
    "Fixed the popping on frame 42.",
    "Please check the continuity with the previous shot.",
    "Approved, nice work!",
    "The colour is a bit off compared to the key.",
    "Camera move is too fast at the start.",
    "New version with the notes from dailies.",
    "Cleaned up the topology around the shoulders.",
    "The eyes need more life in the close-up.",
    "Render settings updated, less noise now.",
    "Waiting for the updated rig before going further.",
    "Great improvement, just a few details left.",
    "Let's add a bit of rim light on the character.",
    "Textures updated to the latest look dev.",
    "The timing of the hit feels late, try 2 frames earlier.",
    "All notes addressed."};

const std::vector<std::string> asset_qualifiers = {
    "Old", "Young", "Red", "Blue", "Giant", "Tiny", "Broken", "Golden", "Wooden", "Night", "Winter", "Summer",
    "Rusty", "Royal", "Wild", "Silent", "Lucky", "Stone", "Paper", "Iron"};

const std::vector<std::string>& asset_words(const std::string& asset_type) {
    static const std::map<std::string, std::vector<std::string>> words = {
        {"Character", {"Captain", "Fox", "Keeper", "Sailor", "Child", "Grandma", "Robot", "Owl", "Baker", "Guard"}},
        {"Prop", {"Lantern", "Map", "Key", "Compass", "Basket", "Umbrella", "Book", "Clock", "Rope", "Bottle"}},
        {"Environment", {"Harbour", "Forest", "Attic", "Street", "Lighthouse", "Beach", "Kitchen", "Cave"}},
        {"FX", {"Rain", "Smoke", "Splash", "Sparks", "Fog", "Fire", "Dust", "Snow"}},
        {"Vehicle", {"Boat", "Bicycle", "Tram", "Balloon", "Cart", "Truck", "Plane", "Train"}},
        {"Set Dressing", {"Crates", "Barrels", "Nets", "Benches", "Lamps", "Plants", "Posters", "Shelves"}},
        {"Crowd", {"Villagers", "Sailors", "Birds", "Fish", "Tourists", "Children", "Cats", "Merchants"}},
        {"Matte Painting", {"Sky", "Skyline", "Mountains", "Sea", "Clouds", "Horizon", "Valley", "Sunset"}}};
    static const std::vector<std::string> others = {"Element", "Piece", "Part", "Module"};
    const auto found = words.find(asset_type);
    return found == words.end() ? others : found->second;
}

} // namespace slate::engine::samples::names
