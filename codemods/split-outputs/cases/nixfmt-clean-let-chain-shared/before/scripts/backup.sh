# Copy the home directory to the NAS, skipping caches.
rsync -a --delete --exclude .cache/ "$HOME/" "nas:/backup/$USER/"
