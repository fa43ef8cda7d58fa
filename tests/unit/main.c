/*
 * main.c - runs every libcheck suite of the unit tests in one SRunner.
 *
 * Suites are declared weak so that the runner links while a module's
 * tests are being written; a missing suite is reported, not ignored.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>

typedef Suite *(*suite_fn)(void);

#define SUITES(X) \
	X(diag) X(cpuset) X(parse) X(classify) X(root) X(topo) X(table) \
	X(ethtool) X(place) X(place_each) X(plan) X(apply) X(render) X(esc) X(json) \
	X(config) X(state) X(procnet) X(doctor) X(events) X(settle) X(channels) \
	X(rss) X(napi) X(ifres) X(stack)

#define DECLARE(name) Suite *name##_suite(void) __attribute__((weak));
SUITES(DECLARE)
#undef DECLARE

int main(void)
{
	struct { const char *name; suite_fn fn; } suites[] = {
#define ENTRY(name) { #name, name##_suite },
		SUITES(ENTRY)
#undef ENTRY
	};
	SRunner *sr = NULL;
	size_t i;
	int failed;

	for (i = 0; i < sizeof(suites) / sizeof(suites[0]); i++) {
		if (!suites[i].fn) {
			printf("unit: no tests yet for %s\n", suites[i].name);
			continue;
		}
		if (!sr)
			sr = srunner_create(suites[i].fn());
		else
			srunner_add_suite(sr, suites[i].fn());
	}
	if (!sr) {
		fprintf(stderr, "unit: no suites linked\n");
		return EXIT_FAILURE;
	}
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
