"""Dark knowledge (Hinton et al. 2015, section 3): distill the student on a transfer set without any 3, correct the
3-logit's bias on the training set, and test on the 3s. Reuses the teacher of a reference run in --out.

    python benchmarks/dark_knowledge.py --dataset ../shared/data/mnist.npz --out benchmarks/results/full_mnist
"""
import argparse
import os
from dataclasses import replace

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
from kd_nb.dark_knowledge import dark_knowledge
from kd_nb.config import ExperimentConfig


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--dataset", default="embedded")
    p.add_argument("--out", default="kd_results")
    p.add_argument("--omit", type=int, default=3, help="the digit removed from the transfer set")
    args = p.parse_args()
    dark_knowledge(replace(ExperimentConfig(), dataset=args.dataset, out=args.out, student_epochs=30), omit=args.omit)


if __name__ == "__main__":
    main()
