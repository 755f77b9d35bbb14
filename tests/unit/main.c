/*
 * main() for one host unit-test binary: runs the Check suite named by
 * -DUNIT_SUITE (see tests/tests.mk).  Exit status 0 iff every case passed.
 */
#include <check.h>
#include <stdlib.h>

Suite *UNIT_SUITE(void);

int
main(void)
{
	SRunner *sr = srunner_create(UNIT_SUITE());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
