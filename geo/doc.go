// Package geo says where an incident happened and draws nothing: it holds the embedded
// world map (country outlines at two levels of detail and named seas, see World), resolves
// country and sea names, codes and variants, places an incident (its coordinates, else its
// country or sea, see Atlas.Place), and does the projection and extent arithmetic the map
// chart needs. It never imports Fyne or gonum/plot.
//
// Places are areas, not fake points: an incident without coordinates is placed in the whole
// of its country or sea, and says so (Placement.Describe).
package geo
