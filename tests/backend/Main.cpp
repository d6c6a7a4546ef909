// The Catch2 main of the backend tests.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
