#include "options.h"

#include "validators.h"

namespace charrnn_cli {

CLI::App* add_train_command(CLI::App& app, TrainOptions& o) {
  CLI::App* cmd = app.add_subcommand("train", "Train a model on a UTF-8 text file (or resume a checkpoint).");
  cmd->footer(
      "Training stops at the first limit reached (--max-epochs, --max-steps, --max-minutes), then evaluates on the\n"
      "whole validation split and writes a final checkpoint. Ctrl-C finishes the current step, writes a checkpoint\n"
      "and exits with status 130; a second Ctrl-C quits at once. With --resume, the model and training settings\n"
      "come from the checkpoint; --data, the limits and the Run options may be given.\n\n"
      "A checkpoint resumed at its own step (--max-steps STEP) trains nothing and only writes --save: that turns\n"
      "a checkpoint into a model file (with --f16, a quarter of its size or less).\n\n"
      "Example:\n  charrnn train --data input.txt --hidden 256 --dropout 0.2 --save model.safetensors");

  const std::string data_group = "Data";
  cmd->add_option("--data", o.data, "UTF-8 text file to train on")->required()->type_name("FILE")->group(data_group);

  const std::string model_group = "Model";
  std::vector<CLI::Option*> model_and_training;
  model_and_training.push_back(
      cmd->add_option("--val-fraction", o.train.val_fraction,
                      "Fraction of the text, from its end, held out for validation (with --lines: of the lines, "
                      "whole lines spread through the text; 0 holds none out, as memorising a list wants)")
          ->check(number_at_least(0))->group(data_group));
  model_and_training.push_back(
      cmd->add_flag("--lines", o.train.lines,
                    "Treat each line as an example: each starts from a fresh state, as a sample does, and the "
                    "model learns whole lines (a list of names, sentences to memorise)")
          ->group(data_group));
  model_and_training.push_back(
      cmd->add_option("--cell", o.cell, "Recurrent cell: lstm, gru or rnn")->type_name("NAME")->group(model_group));
  model_and_training.push_back(
      cmd->add_option("--layers", o.model.layers, "Number of recurrent layers")->check(whole_number_at_least(1))->group(model_group));
  model_and_training.push_back(
      cmd->add_option("--hidden", o.hidden,
                      "Hidden units per layer: one size for every layer, or one per layer, bottom first (256,128)")
          ->type_name("N[,N...]")->check(hidden_sizes_list())->group(model_group));
  model_and_training.push_back(
      cmd->add_option("--embed", o.model.embed_size, "Character embedding size")->check(whole_number_at_least(1))->group(model_group));
  model_and_training.push_back(
      cmd->add_option("--dropout", o.model.dropout, "Dropout between layers and before the output layer (0 to 0.95)")
          ->check(number_at_least(0))->group(model_group));

  const std::string train_group = "Training";
  auto train_option = [&](const char* name, auto& value, const char* help, const CLI::Validator& check) {
    model_and_training.push_back(cmd->add_option(name, value, help)->check(check)->group(train_group));
  };
  train_option("--seq-len", o.train.seq_len, "Characters per sequence (steps of backpropagation through time)",
               whole_number_at_least(1));
  train_option("--batch", o.train.batch_size, "Sequences per batch (parallel streams through the text)",
               whole_number_at_least(1));
  model_and_training.push_back(
      cmd->add_option("--optimizer", o.optimizer, "Optimiser: rmsprop, adam or adagrad")->type_name("NAME")->group(train_group));
  train_option("--lr", o.train.learning_rate, "Learning rate", number_at_least(0));
  train_option("--lr-decay", o.train.lr_decay, "Multiply the learning rate by this every --lr-decay-every steps",
               number_at_least(0));
  train_option("--lr-decay-every", o.train.lr_decay_every, "Steps between learning-rate decays (0: never)",
               whole_number_at_least(0));
  train_option("--grad-clip", o.train.grad_clip, "Clip the global gradient norm to this (0: off)", number_at_least(0));
  train_option("--grad-clip-value", o.train.grad_clip_value, "Clip each gradient element to [-v, v] (0: off)",
               number_at_least(0));
  train_option("--l2", o.train.l2, "L2 weight decay on the weight matrices", number_at_least(0));
  train_option("--seed", o.train.seed, "Random seed: same seed, same settings and text, same model",
               whole_number_at_least(0));

  const std::string run_group = "Run";
  cmd->add_option("--max-epochs", o.max_epochs, "Stop after this many passes over the training text")
      ->check(positive_number())->group(run_group);
  cmd->add_option("--max-steps", o.max_steps, "Stop at this step (counted from the start of training, also when resuming)")
      ->check(whole_number_at_least(1))->default_str("none")->group(run_group);
  cmd->add_option("--max-minutes", o.max_minutes, "Stop after this many minutes of this run")
      ->check(positive_number())->default_str("none")->group(run_group);
  cmd->add_option("--eval-every", o.eval_every, "Evaluate on the validation split and checkpoint every this many steps")
      ->check(whole_number_at_least(1))->group(run_group);
  cmd->add_option("--eval-chars", o.eval_chars,
                  "At most this many validation characters per evaluation (0: all); the final evaluation uses all")
      ->check(whole_number_at_least(0))->group(run_group);
  cmd->add_option("--checkpoint-dir", o.checkpoint_dir, "Directory for checkpoints (created if missing)")
      ->type_name("DIR")->group(run_group);
  cmd->add_option("--save", o.save, "Write the final model (weights only) to this .safetensors file")
      ->type_name("FILE")->default_str("none")->group(run_group);
  cmd->add_flag("--f16", o.f16, "Store the --save model in float16 (half the size)")->group(run_group);
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
  cmd->parse_complete_callback([model_and_training, resume] {
    if (resume->count() == 0) return;
    for (const CLI::Option* option : model_and_training)
      if (option->count() > 0)
        throw CLI::ValidationError(option->get_name() + " cannot be used with --resume: a resumed run keeps the "
                                   "checkpoint's model and training settings");
  });
  return cmd;
}

CLI::App* add_sample_command(CLI::App& app, SampleCommandOptions& o) {
  CLI::App* cmd = app.add_subcommand("sample", "Generate text from a model or checkpoint; prints only the sample.");
  cmd->footer(
      "A sample starts as a new line would (a line break is read first when the vocabulary has one), then the\n"
      "priming text.\n\n"
      "Example:\n  charrnn sample --model model.safetensors --prime ROMEO: --temperature 0.8 --length 300");
  cmd->add_option("--model", o.model, "Model or checkpoint (.safetensors)")->required()->type_name("FILE");
  cmd->add_option("--temperature", o.sample.temperature, "Lower is more conservative, higher more surprising")
      ->check(positive_number());
  cmd->add_option("--prime", o.prime, "Text that warms up the hidden state first (not printed unless --echo-prime)")
      ->type_name("TEXT");
  cmd->add_option("--length", o.length, "Characters to generate")->check(whole_number_at_least(0));
  cmd->add_flag("--argmax", o.sample.argmax, "Always take the most likely character (ignores temperature and seed)");
  cmd->add_option("--top-k", o.sample.top_k, "Draw only from the k most likely characters (0: all)")
      ->check(whole_number_at_least(0));
  cmd->add_option("--seed", o.sample.seed, "Random seed: same seed, same sample")->check(whole_number_at_least(0));
  cmd->add_flag("--echo-prime", o.echo_prime, "Print the priming text before the sample");
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
      "vocabulary are skipped (not fed to the network). At most 20,000 characters.\n\n"
      "Example:\n  charrnn inspect --model model.safetensors --text excerpt.txt --neuron 2:37 --json");
  cmd->add_option("--model", o.model, "Model or checkpoint (.safetensors)")->required()->type_name("FILE");
  cmd->add_option("--text", o.text, "The text to run through the model (UTF-8)")->required()->type_name("FILE");
  cmd->add_option("--neuron", o.neuron, "LAYER:UNIT to print the activation of (from 1; LAYER:UNIT:c: an LSTM's cell state)")
      ->type_name("L:U");
  cmd->add_option("--top-k", o.top_k, "Guesses shown per character")->check(whole_number_at_least(1));
  cmd->add_flag("--json", o.json, "One JSON object per character: char, top ([char, prob] pairs), p_actual, activation");
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
