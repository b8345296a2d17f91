# Two-way-ish sync of the notes folder with the laptop.
rsync -au "$HOME/notes/" laptop:notes/
rsync -au laptop:notes/ "$HOME/notes/"
