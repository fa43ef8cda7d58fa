# make deb: build the Debian package (debian/) with dpkg-buildpackage, in
# a copy of the source tree below build/deb/, so that neither the tree
# nor its parent directory gets build products; the .deb ends in build/deb/.
DEB_DIR := $(B)/deb

.PHONY: deb
deb:
	@command -v dpkg-buildpackage >/dev/null && command -v dh >/dev/null || \
	  { echo "make deb: needs dpkg-dev and debhelper (apt install dpkg-dev debhelper)"; exit 1; }
	rm -rf $(DEB_DIR) && mkdir -p $(DEB_DIR)/mqtune-$(VERSION)
	{ git ls-files -co --exclude-standard 2>/dev/null || find . -path ./build -prune -o -type f -print; } | \
	  grep -v '^\./\?build/' | tar -cf - -T - | tar -xf - -C $(DEB_DIR)/mqtune-$(VERSION)
	# the package builds with its own make: none of this one's variables (B=...)
	cd $(DEB_DIR)/mqtune-$(VERSION) && env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u MAKEOVERRIDES \
	  dpkg-buildpackage -us -uc -b
	rm -rf $(DEB_DIR)/mqtune-$(VERSION)
	@ls $(DEB_DIR)/*.deb
