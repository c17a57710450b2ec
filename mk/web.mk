# Web front end (web/): the review app and the candidate app, built into web/dist.
# Included by the root Makefile (include mk/*.mk).

WEB_DIR   := web
# npm ci writes this file; it is older than the lock file when the lock file changed.
WEB_DEPS  := $(WEB_DIR)/node_modules/.package-lock.json

.PHONY: web web-types web-typecheck web-clean

$(WEB_DEPS): $(WEB_DIR)/package-lock.json $(WEB_DIR)/package.json
	cd $(WEB_DIR) && npm ci --no-audit --no-fund
	@touch $@

## web: build both apps into web/dist (from the committed web/openapi.json)
web: $(WEB_DEPS)
	cd $(WEB_DIR) && npm run build

## web-types: regenerate web/openapi.json from the backend, then the TypeScript types, and typecheck
web-types: $(WEB_DEPS)
	$(MAKE) --no-print-directory openapi
	cd $(WEB_DIR) && npm run types && npm run typecheck

web-typecheck: $(WEB_DEPS)
	cd $(WEB_DIR) && npm run types && npm run typecheck

web-clean:
	rm -rf $(WEB_DIR)/dist
