// Boost.JSON is header-only when its sources are compiled into exactly one
// translation unit; this is that unit.
#include <boost/json/src.hpp>
