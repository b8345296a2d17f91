{ forEachSystem }:
forEachSystem (pkgs: {
  hello = {
    type = "app";
    program = "${pkgs.hello}/bin/hello";
  };
})
