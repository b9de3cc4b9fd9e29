"""The query page and entity page assets, served by kg itself (no CDN). Written for kg; MIT like kg."""
