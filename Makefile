.PHONY: run test benchmark

run:
	scripts/run.sh

test:
	scripts/test.sh

benchmark:
	scripts/bootstrap.sh >/dev/null && .venv/bin/python -m benchmarks.run_all $(ARGS)
