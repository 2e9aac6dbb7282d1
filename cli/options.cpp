#include "options.h"

#include "model/settings.h"
#include "recipe_settings.h"
#include "validators.h"

namespace charrnn_cli {

namespace {

// A setting's flag (core/model/settings.cpp) bound to its member: a switch for a boolean, else an
// option whose value must be the right kind of number, of the right sign (the core checks the range).
template <typename Value>
CLI::Option* add_setting_option(CLI::App& cmd, const charrnn::Setting& s, Value& value) {
  if constexpr (std::is_same_v<Value, bool>) {
    return cmd.add_flag(s.cli, value, s.help);
  } else if constexpr (std::is_floating_point_v<Value>) {
    return cmd.add_option(s.cli, value, s.help)->check(s.min > 0 ? positive_number() : number_at_least(s.min));
  } else {
    static_assert(std::is_integral_v<Value>, "a setting with a flag is a number, a switch or a choice");
    return cmd.add_option(s.cli, value, s.help)->check(whole_number_at_least(static_cast<long long>(s.min)));
  }
}

}  // namespace

CLI::App* add_train_command(CLI::App& app, TrainOptions& o) {
  CLI::App* cmd = app.add_subcommand("train", "Train a model on a UTF-8 text file (or resume a checkpoint).");
  cmd->footer(
      std::string("Settings not given come from the recipe for the text: its size, --lines and --max-minutes pick them,\n"
                  "as in the trainer page ('charrnn recipe --data FILE' shows what it picks and why). The defaults\n"
                  "above are its values for a large text (800 k characters or more) without --max-minutes; ") +
      kVariesMark +
      ": it picks\nothers for a smaller text, --lines (the memorising recipe: GRU 1x256, no dropout, no validation) or\n"
      "a long budget.\n\n"
      "--max-minutes M is a time budget: the learning rate falls along half a cosine to 5% of\n"
      "its peak as the M minutes end, and training stops there. --max-minutes inf trains until Ctrl-C: the\n"
      "rate stays high and halves when the validation loss stops improving (never below an eighth). Without\n"
      "--max-minutes the rate falls by --lr-decay every --lr-decay-every steps and --max-epochs 50 applies;\n"
      "with it, giving --lr-decay or --lr-decay-every keeps that fixed decay and M only limits the time.\n\n"
      "Training stops at the first limit reached (--max-epochs, --max-steps, --max-minutes), then evaluates on\n"
      "the whole validation split and writes a final checkpoint (the last step, to resume from). --save writes\n"
      "the weights with the lowest validation loss, --save-latest the last step's. Ctrl-C finishes the current\n"
      "step, writes a checkpoint and --save, and exits with status 130; a second Ctrl-C quits at once. With\n"
      "--resume, the model and training settings (and the time budget) come from the checkpoint; --data, the\n"
      "limits and the Run options may be given.\n\n"
      "A checkpoint resumed at its own step (--max-steps STEP) trains nothing and only writes --save: that turns\n"
      "a checkpoint into a model file (with --f16, a quarter of its size or less).\n\n"
      "Examples:\n  charrnn train --data input.txt --max-minutes 10 --save model.safetensors\n"
      "  charrnn train --data names.txt --lines --max-minutes 3 --save names.safetensors\n"
      "  charrnn train --data input.txt --hidden 256 --dropout 0.2 --max-steps 5000 --save model.safetensors");

  const std::string data_group = "Data";
  cmd->add_option("--data", o.data, "UTF-8 text file to train on")->required()->type_name("FILE")->group(data_group);

  // The model and training settings: flag, help and kind of number from the core's settings table
  // (core/model/settings.cpp), in its order; the core checks the ranges. The cell, the optimiser
  // and the hidden sizes are held as text until train_command reads them: a bad name then gets
  // the core's message naming the choices, and --hidden takes one size or one per layer. The
  // defaults shown are the recipe's; only the settings given replace its values.
  std::vector<std::pair<const char*, CLI::Option*>> model_and_training;  // setting key, option
  const auto cli_group = [](const charrnn::Setting& s) {
    if (s.field == charrnn::SettingField(&charrnn::TrainConfig::val_fraction) ||
        s.field == charrnn::SettingField(&charrnn::TrainConfig::lines))
      return "Data";
    return charrnn::setting_group(s) == std::string("model") ? "Model" : "Training";
  };
  const auto add = [&](const charrnn::Setting& s, CLI::Option* option) {
    option->group(cli_group(s));
    if (const std::string label = recipe_default_label(s); !label.empty()) option->default_str(label);
    model_and_training.emplace_back(s.key, option);
  };
  charrnn::for_each_setting<charrnn::ModelConfig>([&](const charrnn::Setting& s, auto member) {
    using Value = typename charrnn::member_traits<decltype(member)>::value;
    if (!s.cli) return;
    if constexpr (std::is_same_v<Value, charrnn::CellType>) {
      add(s, cmd->add_option(s.cli, o.cell, s.help)->type_name("NAME"));
    } else if constexpr (std::is_same_v<Value, int>) {
      if (s.field == charrnn::SettingField(&charrnn::ModelConfig::hidden_size))
        add(s, cmd->add_option(s.cli, o.hidden, s.help)->type_name("N[,N...]")->check(hidden_sizes_list()));
      else
        add(s, add_setting_option(*cmd, s, o.model.*member));
    } else if constexpr (!std::is_same_v<Value, std::vector<int>>) {  // hidden_sizes: from --hidden
      add(s, add_setting_option(*cmd, s, o.model.*member));
    }
  });
  charrnn::for_each_setting<charrnn::TrainConfig>([&](const charrnn::Setting& s, auto member) {
    using Value = typename charrnn::member_traits<decltype(member)>::value;
    if (!s.cli) return;
    if constexpr (std::is_same_v<Value, charrnn::OptimizerType>)
      add(s, cmd->add_option(s.cli, o.optimizer, s.help)->type_name("NAME"));
    else
      add(s, add_setting_option(*cmd, s, o.train.*member));
  });

  const std::string run_group = "Run";
  CLI::Option* max_epochs =
      cmd->add_option("--max-epochs", o.max_epochs,
                      "Stop after this many passes over the training text (by default only without --max-minutes)")
          ->check(positive_number())->group(run_group);
  cmd->add_option("--max-steps", o.max_steps, "Stop at this step (counted from the start of training, also when resuming)")
      ->check(whole_number_at_least(1))->default_str("none")->group(run_group);
  cmd->add_option("--max-minutes", o.max_minutes,
                  "A time budget for this run: the learning rate follows it and training stops when it is spent; "
                  "inf: until Ctrl-C")
      ->check(minutes_or_inf())->type_name("M")->default_str("none")->group(run_group);
  CLI::Option* evals =
      cmd->add_option("--evals", o.evals,
                      "Evaluate on the validation split and checkpoint this many times per run, spread over its "
                      "limit (steps, epochs or minutes; the last is the final evaluation)")
          ->check(whole_number_at_least(1))->group(run_group);
  cmd->add_option("--eval-every", o.eval_every, "Evaluate and checkpoint every this many steps instead")
      ->check(whole_number_at_least(1))->default_str("none")->excludes(evals)->group(run_group);
  cmd->add_option("--eval-chars", o.eval_chars,
                  "At most this many validation characters per evaluation (0: all); the final evaluation uses all")
      ->check(whole_number_at_least(0))->group(run_group);
  cmd->add_option("--checkpoint-dir", o.checkpoint_dir, "Directory for checkpoints (created if missing)")
      ->type_name("DIR")->group(run_group);
  cmd->add_option("--save", o.save,
                  "Write the model (weights only) with the lowest validation loss to this .safetensors file "
                  "(the last step's when there is no validation split)")
      ->type_name("FILE")->default_str("none")->group(run_group);
  cmd->add_option("--save-latest", o.save_latest, "Write the last step's weights to this .safetensors file")
      ->type_name("FILE")->default_str("none")->group(run_group);
  cmd->add_flag("--f16", o.f16, "Store the --save and --save-latest models in float16 (half the size)")->group(run_group);
  cmd->add_option("--threads", o.threads,
                  "Threads that share each batch (at most the batch size); the same seed and thread count give "
                  "the same model")
      ->check(whole_number_at_least(1))->default_str("all cores")->group(run_group);
  CLI::Option* resume = cmd->add_option("--resume", o.resume,
                                        "Continue a checkpoint exactly, with its own model and training settings")
                            ->type_name("CHECKPOINT")->default_str("none")->group(run_group);
  cmd->add_flag("--log-json", o.log_json,
                "Print one JSON object per step on stdout (step, epoch, loss, skipped, grad_norm, lr; val_loss on "
                "evaluations); no progress bar")->group(run_group);
  cmd->add_flag("--quiet", o.quiet, "Print nothing but errors on stderr")->group(run_group);

  // A resumed run keeps the checkpoint's settings: changing them would not be an exact resume.
  // (Checked here rather than with CLI11's excludes(), which would list every pair in --help.)
  cmd->parse_complete_callback([&o, model_and_training, resume, max_epochs] {
    o.given.clear();
    for (const auto& [key, option] : model_and_training)
      if (option->count() > 0) o.given.insert(key);
    o.max_epochs_given = max_epochs->count() > 0;
    if (resume->count() == 0) return;
    for (const auto& [key, option] : model_and_training)
      if (option->count() > 0)
        throw CLI::ValidationError(option->get_name() + " cannot be used with --resume: a resumed run keeps the "
                                   "checkpoint's model and training settings");
  });
  return cmd;
}

CLI::App* add_recipe_command(CLI::App& app, RecipeOptions& o) {
  CLI::App* cmd = app.add_subcommand("recipe", "Show the settings `charrnn train` (and the trainer page) picks for a "
                                                "text, and why.");
  cmd->footer(
      "The recipe (core/training/recipe.h) goes by the text's size in characters, --lines and the time budget.\n"
      "Its settings are printed as the flags of 'charrnn train'; any of them given to 'charrnn train' replaces\n"
      "the recipe's. --json prints one object: chars, lines, max_minutes (null: none or inf), schedule\n"
      "(\"fixed decay\", \"budget\" or \"until stopped\"), reason, model and train (as a model file names them).\n\n"
      "Examples:\n  charrnn recipe --data input.txt --max-minutes 10\n  charrnn recipe --chars 20000 --lines --json");
  CLI::Option* chars = cmd->add_option("--chars", o.chars, "The text's size in characters")
                           ->check(whole_number_at_least(0))->type_name("N")->default_str("none");
  cmd->add_option("--data", o.data, "Or the text itself (UTF-8), to count its characters")
      ->type_name("FILE")->default_str("none")->excludes(chars);
  cmd->add_flag("--lines", o.lines, "Each line an example: the memorising recipe");
  cmd->add_option("--max-minutes", o.max_minutes, "The time budget, as for charrnn train (inf: until stopped)")
      ->check(minutes_or_inf())->type_name("M")->default_str("none");
  cmd->add_flag("--json", o.json, "One JSON object instead of text");
  return cmd;
}

CLI::App* add_sample_command(CLI::App& app, SampleCommandOptions& o) {
  CLI::App* cmd = app.add_subcommand("sample", "Generate text from a model or checkpoint: the priming text, then the "
                                                "sample, then a line break.");
  cmd->footer(
      "A sample starts as a new line would (a line break is read first when the vocabulary has one), then the\n"
      "priming text. The output is the priming text (unless --no-echo-prime), the --length characters sampled\n"
      "and one line break to end the output (not part of the sample).\n\n"
      "Example:\n  charrnn sample --model model.safetensors --prime ROMEO: --temperature 0.8 --length 300");
  cmd->add_option("--model", o.model, "Model or checkpoint (.safetensors)")->required()->type_name("FILE");
  cmd->add_option("--prime", o.prime, "Text that warms up the hidden state first; printed before the sample")
      ->type_name("TEXT");
  cmd->add_option("--length", o.length, "Characters to generate")->check(whole_number_at_least(0));
  // Temperature, argmax, top-k and seed, from the core's settings table.
  charrnn::for_each_setting<charrnn::SampleOptions>([&](const charrnn::Setting& s, auto member) {
    if (s.cli) add_setting_option(*cmd, s, o.sample.*member);
  });
  cmd->add_flag("--echo-prime,!--no-echo-prime", o.echo_prime,
                "Print the priming text before the sample (--no-echo-prime: the sample alone)");
  CLI::Option* lines =
      cmd->add_option("--lines", o.lines,
                      "Print this many whole lines, each from the start context (and --prime, its first characters) "
                      "to its line break")
          ->check(whole_number_at_least(1))->type_name("N")->default_str("off");
  cmd->add_option("--max-line", o.max_line, "With --lines: cut a line at this many characters")
      ->check(whole_number_at_least(1))->needs(lines);
  CLI::Option* data = cmd->add_option("--data", o.data, "With --mark: the training text the lines are looked up in")
                          ->type_name("FILE");
  cmd->add_flag("--mark", o.mark,
                "With --lines: start each line with 'text' (a whole line of --data) or 'new', and a tab "
                "('cut' when --max-line cut it)")
      ->needs(lines)->needs(data);
  return cmd;
}

CLI::App* add_info_command(CLI::App& app, InfoOptions& o) {
  CLI::App* cmd = app.add_subcommand("info", "Show a model's settings, vocabulary and size (and a checkpoint's step).");
  cmd->add_option("--model", o.model, "Model or checkpoint (.safetensors)")->required()->type_name("FILE");
  return cmd;
}

CLI::App* add_inspect_command(CLI::App& app, InspectOptions& o) {
  CLI::App* cmd = app.add_subcommand("inspect", "Per character of a text: the model's top guesses for the next one, "
                                                 "the probability it gave the one that came, a neuron's activation.");
  cmd->footer(
      "The text is read from the start context samples use (a line break). Characters outside the model's\n"
      "vocabulary are skipped (not fed to the network). At most 20,000 characters. A header names the columns;\n"
      "the last line sums up: the mean cost in nats per character and how often the top guess was right\n"
      "(over the characters after the first).\n\n"
      "Example:\n  charrnn inspect --model model.safetensors --text excerpt.txt --neuron 2:37 --json");
  cmd->add_option("--model", o.model, "Model or checkpoint (.safetensors)")->required()->type_name("FILE");
  cmd->add_option("--text", o.text, "The text to run through the model (UTF-8)")->required()->type_name("FILE");
  cmd->add_option("--neuron", o.neuron, "LAYER:UNIT to print the activation of (from 1; LAYER:UNIT:c: an LSTM's cell state)")
      ->type_name("L:U");
  cmd->add_option("--top-k", o.top_k, "Guesses shown per character")->check(whole_number_at_least(1));
  cmd->add_flag("--json", o.json,
                "One JSON object per character: char, top ([char, prob] pairs), p_actual, activation; then one "
                "{\"summary\": {chars, nats_per_char, top1, skipped}}");
  return cmd;
}

CLI::App* add_neurons_command(CLI::App& app, NeuronsOptions& o) {
  CLI::App* cmd = app.add_subcommand("neurons", "Rank every unit by how well it tracks simple properties of a text "
                                                 "(quotes, line position, brackets, comments, indentation, words, ifs).");
  cmd->footer("Pearson r between each unit's activation and each property over the text's characters.\n\n"
              "Properties: inside quotes, line position, bracket depth, inside a comment, indentation, inside a word,\n"
              "inside an if condition, inside an if statement.\n\n"
              "Examples:\n  charrnn neurons --model model.safetensors --text excerpt.txt\n"
              "  charrnn neurons --model c-code.safetensors --text code.c --property 'inside quotes,bracket depth'");
  cmd->add_option("--model", o.model, "Model or checkpoint (.safetensors)")->required()->type_name("FILE");
  cmd->add_option("--text", o.text, "The text to run through the model (UTF-8)")->required()->type_name("FILE");
  cmd->add_option("--per-property", o.per_property, "Best units listed per property")->check(whole_number_at_least(1));
  cmd->add_option("--property", o.properties, "Only this property (repeat the flag, or separate names with commas)")
      ->delimiter(',')->type_name("NAME")->default_str("all");
  cmd->add_flag("--json", o.json, "One JSON object per property");
  return cmd;
}

}  // namespace charrnn_cli

namespace charrnn_cli {

CLI::App* add_schema_command(CLI::App& app) {
  CLI::App* cmd = app.add_subcommand("schema", "Print every setting (its names, label, type, range, default, help) as JSON.");
  cmd->footer("The same JSON as the JS API's charrnn.schema; python/train.py reads a copy (python/settings.json).");
  return cmd;
}

}  // namespace charrnn_cli
