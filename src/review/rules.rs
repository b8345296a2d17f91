//! The rules `review` checks: stable ids, severities, explanations and the
//! codemod that fixes each.

use serde::Serialize;

/// How serious a finding is. Ordered: `Info < Warning < Error`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// A trade-off or a likely redundancy worth a look; not a defect.
    Info,
    /// A maintainability or reproducibility problem with a known fix.
    Warning,
    /// Evaluation of a configuration fails, or cannot be trusted.
    Error,
}

impl Severity {
    /// `error`, `warning` or `info`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl std::fmt::Display for Severity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A rule. The ids are stable: FR001 to FR009 follow the list of the issue
/// that introduced `review`; later rules get the next free number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rule {
    /// FR001: flake.nix is over the line threshold.
    MonolithicFlake,
    /// FR002: a helper wrapping a builder is unused or bypassed.
    HelperBypassed,
    /// FR003: Home Manager's NixOS-module integration is configured more than once.
    HomeManagerRepeated,
    /// FR004: standalone Home Manager reads a NixOS configuration or the current system.
    StandaloneReadsNixos,
    /// FR005: per-system outputs written by hand.
    HandWrittenPerSystem,
    /// FR006: a standalone home profile repeats a user configured in a host.
    RedundantStandaloneHome,
    /// FR007: an input brings its own nixpkgs.
    InputWithoutFollows,
    /// FR008: flake.lock missing, unreadable or not tracked.
    LockMissing,
    /// FR009: a large block repeated inside flake.nix.
    RepeatedBlock,
    /// FR010: a module file that does not parse.
    ModuleParseError,
    /// FR011: a module path that names nothing the flake can see.
    ModuleMissing,
}

impl Rule {
    /// Every rule, in id order.
    pub const ALL: &'static [Rule] = &[
        Rule::MonolithicFlake,
        Rule::HelperBypassed,
        Rule::HomeManagerRepeated,
        Rule::StandaloneReadsNixos,
        Rule::HandWrittenPerSystem,
        Rule::RedundantStandaloneHome,
        Rule::InputWithoutFollows,
        Rule::LockMissing,
        Rule::RepeatedBlock,
        Rule::ModuleParseError,
        Rule::ModuleMissing,
    ];

    /// The stable id, `FR001`...
    pub fn id(self) -> &'static str {
        match self {
            Rule::MonolithicFlake => "FR001",
            Rule::HelperBypassed => "FR002",
            Rule::HomeManagerRepeated => "FR003",
            Rule::StandaloneReadsNixos => "FR004",
            Rule::HandWrittenPerSystem => "FR005",
            Rule::RedundantStandaloneHome => "FR006",
            Rule::InputWithoutFollows => "FR007",
            Rule::LockMissing => "FR008",
            Rule::RepeatedBlock => "FR009",
            Rule::ModuleParseError => "FR010",
            Rule::ModuleMissing => "FR011",
        }
    }

    /// A kebab-case name (SARIF `name`).
    pub fn name(self) -> &'static str {
        match self {
            Rule::MonolithicFlake => "monolithic-flake",
            Rule::HelperBypassed => "helper-bypassed",
            Rule::HomeManagerRepeated => "home-manager-repeated",
            Rule::StandaloneReadsNixos => "standalone-reads-nixos",
            Rule::HandWrittenPerSystem => "hand-written-per-system",
            Rule::RedundantStandaloneHome => "redundant-standalone-home",
            Rule::InputWithoutFollows => "input-without-follows",
            Rule::LockMissing => "lock-missing",
            Rule::RepeatedBlock => "repeated-block",
            Rule::ModuleParseError => "module-parse-error",
            Rule::ModuleMissing => "module-missing",
        }
    }

    /// One line, as a heading.
    pub fn title(self) -> &'static str {
        match self {
            Rule::MonolithicFlake => "Large monolithic flake.nix",
            Rule::HelperBypassed => "Host builder helper unused or bypassed",
            Rule::HomeManagerRepeated => "Home Manager integration repeated",
            Rule::StandaloneReadsNixos => "Standalone Home Manager reads a NixOS configuration",
            Rule::HandWrittenPerSystem => "Per-system outputs written by hand",
            Rule::RedundantStandaloneHome => {
                "Standalone Home Manager profile repeats a NixOS host's user"
            }
            Rule::InputWithoutFollows => "Input brings its own nixpkgs",
            Rule::LockMissing => "flake.lock missing or not tracked",
            Rule::RepeatedBlock => "Repeated block in flake.nix",
            Rule::ModuleParseError => "Module file does not parse",
            Rule::ModuleMissing => "Module file missing or not tracked",
        }
    }

    /// The default severity.
    pub fn severity(self) -> Severity {
        match self {
            // Suggestions and hygiene.
            Rule::HandWrittenPerSystem
            | Rule::RedundantStandaloneHome
            | Rule::RepeatedBlock
            | Rule::InputWithoutFollows => Severity::Info,
            Rule::ModuleParseError | Rule::ModuleMissing => Severity::Error,
            _ => Severity::Warning,
        }
    }

    /// The codemod that fixes findings of this rule (`None`: no codemod yet).
    /// A finding may name none where the codemod does not apply.
    pub fn codemod(self) -> Option<&'static str> {
        match self {
            Rule::MonolithicFlake => Some("split-outputs"),
            Rule::HelperBypassed => Some("use-mksystem"),
            Rule::HomeManagerRepeated => Some("extract-home-manager"),
            Rule::StandaloneReadsNixos => Some("drop-osconfigfor"),
            Rule::HandWrittenPerSystem => Some("flake-parts"),
            Rule::InputWithoutFollows => Some("add-follows"),
            _ => None,
        }
    }

    /// What to do, as an imperative (recommendations).
    pub fn action(self) -> &'static str {
        match self {
            Rule::MonolithicFlake => "Extract the outputs of flake.nix into files of their own",
            Rule::HelperBypassed => "Build every host through the helper, or remove it",
            Rule::HomeManagerRepeated => "Configure the Home Manager integration once",
            Rule::StandaloneReadsNixos => {
                "Stop passing NixOS configurations to standalone Home Manager"
            }
            Rule::HandWrittenPerSystem => "Consider flake-parts for the per-system outputs",
            Rule::RedundantStandaloneHome => {
                "Clarify the standalone homeConfigurations: keep them for machines without NixOS"
            }
            Rule::InputWithoutFollows => "Make inputs follow the flake's nixpkgs",
            Rule::LockMissing => "Lock the inputs and commit flake.lock",
            Rule::RepeatedBlock => "Write repeated blocks once",
            Rule::ModuleParseError => "Fix the module files that do not parse",
            Rule::ModuleMissing => "Fix the module paths that name nothing the flake can see",
        }
    }

    /// How to fix it by hand (shown when no codemod does it yet).
    pub fn manual_fix(self) -> &'static str {
        match self {
            Rule::MonolithicFlake => "move each output into `<dir>/default.nix` and import it: `nixosConfigurations = import ./hosts { inherit inputs; };`",
            Rule::HelperBypassed => "call the helper for every host (`hetzner = mkSystem { ... };`), or inline it and delete it if hosts need manual control",
            Rule::HomeManagerRepeated => "move the shared `home-manager = { useGlobalPkgs = true; ... };` settings into one module (or the host helper) and keep only `home-manager.users.<name>` per host",
            Rule::StandaloneReadsNixos => "remove `osConfig` from the standalone configurations' `extraSpecialArgs` and make modules treat it as optional (`osConfig ? null`); name the system explicitly instead of `builtins.currentSystem`",
            Rule::HandWrittenPerSystem => "adopt flake-parts (`flake-parts.lib.mkFlake { inherit inputs; } { systems = [ ... ]; perSystem = ...; }`), or keep the explicit form deliberately",
            Rule::RedundantStandaloneHome => "remove the standalone profile if it is only used on NixOS hosts, or document when each form is used",
            Rule::InputWithoutFollows => "add `inputs.<input>.inputs.nixpkgs.follows = \"nixpkgs\";` and run `nix flake lock`",
            Rule::LockMissing => "run `nix flake lock` and `git add flake.lock`",
            Rule::RepeatedBlock => "bind the block once (a `let` binding, a function or a module file) and use it in every place",
            Rule::ModuleParseError => "fix the syntax error at the location shown",
            Rule::ModuleMissing => "create the file, fix the path, or `git add` the file",
        }
    }

    /// One paragraph: what the rule finds and why it matters.
    pub fn explanation(self) -> &'static str {
        match self {
            Rule::MonolithicFlake => "A flake.nix that holds every output is hard to navigate and to review: hosts, home profiles, packages and checks share one scope, so a change to one risks the others, and diffs touch one huge file. Mature configurations keep flake.nix to the inputs plus one line per output, with each output in a file of its own (`hosts/`, `home/`, `packages/`). `split-outputs` makes that move losslessly: free variables are passed by name, relative paths are rebased and comments travel with the code.",
            Rule::HelperBypassed => "A local helper such as `mkSystem` exists to give every host the same base: special arguments, shared modules, Home Manager. Hosts that call the builder directly do not get that base, so their copies of it drift apart; a helper that nothing calls is dead code that readers still have to understand. Build every host through the helper, or remove it if hosts really need manual control.",
            Rule::HomeManagerRepeated => "Home Manager's NixOS-module integration (`useGlobalPkgs`, `useUserPackages`, `extraSpecialArgs`, `backupFileExtension`...) is set in more than one place. The copies tend to differ in small ways, and every change has to be made in each of them. Configure the integration once, in a shared module or in the host helper, and leave only the per-host `home-manager.users.<name>` where it differs.",
            Rule::StandaloneReadsNixos => "A standalone `homeConfigurations` entry that takes `osConfig` from `self.nixosConfigurations.<host>.config` ties a user profile to one host per architecture and risks infinite recursion between outputs; choosing the host with `builtins.currentSystem` makes the evaluation impure: it fails unless `--impure` is given, or, behind a fallback (`builtins.currentSystem or \"x86_64-linux\"`, `if builtins ? currentSystem then ... else ...`), a pure evaluation silently builds for the fallback system, which is worse. Inside a NixOS host, Home Manager already receives the real `osConfig`; a standalone profile should not pretend to have one.",
            Rule::HandWrittenPerSystem => "Per-system outputs (`packages`, `devShells`, `checks`, `formatter`...) are spelled out for each system: attribute sets keyed by system, `genAttrs`/`forAllSystems`, or flake-utils. That works, but every new output repeats the boilerplate and a system is easy to miss. flake-parts generates them from `perSystem`; adopting it trades explicit control for less code, so this is a suggestion, not a defect.",
            Rule::RedundantStandaloneHome => "A standalone `homeConfigurations` entry loads the same Home Manager module that a NixOS host already loads for its user through the Home Manager NixOS module. On that host `nixos-rebuild` builds the profile already, so the standalone copy is redundant there and can drift (other `pkgs`, no `osConfig`). Standalone profiles are right for machines without NixOS (macOS, other distributions); if that is the purpose, document it.",
            Rule::InputWithoutFollows => "flake.lock holds more than one nixpkgs: an input locks a nixpkgs of its own instead of following the flake's. Each extra nixpkgs is fetched and evaluated separately, which costs download, memory and evaluation time, and mixes package versions (a module built against another nixpkgs than the system). Make the input follow the flake's nixpkgs, unless it really needs its own version.",
            Rule::LockMissing => "Without a committed flake.lock, inputs are resolved afresh on every machine and in CI, so builds are not reproducible; and a flake in a git repository sees only tracked files, so a flake.lock that git does not track is invisible to it. Lock the inputs and commit the lock file.",
            Rule::RepeatedBlock => "A block of code is written more than once in flake.nix: identical, or nearly so once layout and comments are ignored (at least 90% of its tokens in common). Copies drift apart, and a fix made in one is easily missed in the others. Write it once, as a `let` binding, a function or a module file, and use it in every place.",
            Rule::ModuleParseError => "A module file that a configuration loads is not valid Nix, or cannot be read as source text. Every configuration that loads it fails to evaluate. The finding shows the first error.",
            Rule::ModuleMissing => "A relative path in a module list or `imports` names a file that does not exist, or one that git does not track. A flake in a git repository sees only tracked files, so evaluation fails with \"path ... does not exist\" even when the file is on disk.",
        }
    }

    /// Rank in the recommendations (lower comes first), as the hand review
    /// ranks its priorities: what breaks evaluation first, then structure
    /// (split the outputs, fix or remove the helper, clarify the standalone
    /// homes, configure Home Manager once, repeated blocks), then
    /// correctness hazards (osConfig from a host, currentSystem), then
    /// suggestions and hygiene. Codemods compose in any order, so this is
    /// also the order of the combined command.
    pub fn priority(self) -> u8 {
        match self {
            Rule::ModuleParseError => 0,
            Rule::ModuleMissing => 1,
            Rule::MonolithicFlake => 2,
            Rule::HelperBypassed => 3,
            Rule::RedundantStandaloneHome => 4,
            Rule::HomeManagerRepeated => 5,
            Rule::RepeatedBlock => 6,
            Rule::StandaloneReadsNixos => 7,
            Rule::HandWrittenPerSystem => 8,
            Rule::LockMissing => 9,
            Rule::InputWithoutFollows => 10,
        }
    }

    /// The rule with this id.
    pub fn from_id(id: &str) -> Option<Rule> {
        Rule::ALL.iter().copied().find(|r| r.id() == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_sequential_and_unique() {
        for (i, r) in Rule::ALL.iter().enumerate() {
            assert_eq!(r.id(), format!("FR{:03}", i + 1));
            assert_eq!(Rule::from_id(r.id()), Some(*r));
        }
        let mut priorities: Vec<u8> = Rule::ALL.iter().map(|r| r.priority()).collect();
        priorities.sort();
        priorities.dedup();
        assert_eq!(priorities.len(), Rule::ALL.len());
    }
}
