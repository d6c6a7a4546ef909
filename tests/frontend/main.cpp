// The Catch2 main of the front-end tests.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
